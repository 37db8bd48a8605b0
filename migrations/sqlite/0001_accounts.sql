-- Accounts, roles, departments, sessions, one-time links, mail outbox, rate-limit log.
-- Kept in step with migrations/postgres/0001_accounts.sql (a test compares the schemas).

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,          -- normalized: trimmed, lower case
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,                 -- argon2id PHC string
    role           TEXT NOT NULL DEFAULT 'resident'
                   CHECK (role IN ('resident', 'moderator', 'official', 'admin')),
    department_id  INTEGER REFERENCES departments (id),
    activated_at   TEXT,                          -- NULL until the email link is followed
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (role <> 'official' OR department_id IS NOT NULL)
);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,               -- SHA-256 of the cookie token, hex
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    user_agent    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE email_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,             -- SHA-256 of the token in the link, hex
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('activate', 'reset')),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    last_error  TEXT
);

CREATE TABLE auth_attempts (
    id      INTEGER PRIMARY KEY,
    scope   TEXT NOT NULL,                        -- e.g. login_ip, login_account, signup_ip
    key     TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX auth_attempts_lookup ON auth_attempts (scope, key, at);
-- Old attempts are pruned by time on every write.
CREATE INDEX auth_attempts_at ON auth_attempts (at);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    actor_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action          TEXT NOT NULL,
    target_user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    detail          TEXT NOT NULL,
    at              TEXT NOT NULL
);
