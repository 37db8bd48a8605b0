-- Accounts, roles, departments, sessions, one-time links, mail outbox, rate-limit log.
-- Kept in step with migrations/sqlite/0001_accounts.sql (a test compares the schemas).

CREATE TABLE departments (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL DEFAULT 'resident'
                   CHECK (role IN ('resident', 'moderator', 'official', 'admin')),
    department_id  BIGINT REFERENCES departments (id),
    activated_at   TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    CHECK (role <> 'official' OR department_id IS NOT NULL)
);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    user_agent    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE email_tokens (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('activate', 'reset')),
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);

CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    sent_at     TIMESTAMPTZ,
    last_error  TEXT
);

CREATE TABLE auth_attempts (
    id      BIGSERIAL PRIMARY KEY,
    scope   TEXT NOT NULL,
    key     TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX auth_attempts_lookup ON auth_attempts (scope, key, at);
-- Old attempts are pruned by time on every write.
CREATE INDEX auth_attempts_at ON auth_attempts (at);

CREATE TABLE audit_log (
    id              BIGSERIAL PRIMARY KEY,
    actor_id        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action          TEXT NOT NULL,
    target_user_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    detail          TEXT NOT NULL,
    at              TIMESTAMPTZ NOT NULL
);
