-- E-deliberation (网络议事): processes with dated phases (information → proposals →
-- discussion → decision), residents' proposals, and supports. Markdown is kept as typed and
-- as rendered, sanitized HTML (rendered once, when saved).
-- Kept in step with migrations/sqlite/0007_deliberation.sql (a test compares the schemas).

CREATE TABLE processes (
    id                 BIGSERIAL PRIMARY KEY,
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL DEFAULT '',       -- plain text, for lists
    body               TEXT NOT NULL DEFAULT '',       -- markdown as typed
    body_html          TEXT NOT NULL DEFAULT '',       -- rendered and sanitized
    department_id      BIGINT NOT NULL REFERENCES departments (id),
    -- Each phase starts at its time; the process is closed from closes_at on.
    information_at     TIMESTAMPTZ NOT NULL,
    proposals_at       TIMESTAMPTZ NOT NULL,
    discussion_at      TIMESTAMPTZ NOT NULL,
    decision_at        TIMESTAMPTZ NOT NULL,
    closes_at          TIMESTAMPTZ NOT NULL,
    -- Supports at or above which the department must answer a proposal (NULL: none set).
    support_threshold  BIGINT,
    created_by         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    CHECK (information_at <= proposals_at AND proposals_at <= discussion_at
           AND discussion_at <= decision_at AND decision_at < closes_at)
);
CREATE INDEX processes_closes ON processes (closes_at, id);
CREATE INDEX processes_department ON processes (department_id, id);

CREATE TABLE proposals (
    id             BIGSERIAL PRIMARY KEY,
    process_id     BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    author_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,                      -- markdown as typed
    body_html      TEXT NOT NULL,                      -- rendered and sanitized
    lat            DOUBLE PRECISION,                              -- an optional place
    lon            DOUBLE PRECISION,
    address        TEXT NOT NULL DEFAULT '',
    support_count  BIGINT NOT NULL DEFAULT 0,
    comment_count  BIGINT NOT NULL DEFAULT 0,
    -- Moderation: every page, feed and API shows only 'visible' content to the public;
    -- 'held' waits for review (its author sees it), 'hidden' leaves a tombstone with the reason.
    visibility     TEXT NOT NULL DEFAULT 'visible' CHECK (visibility IN ('visible', 'held', 'hidden')),
    hidden_reason  TEXT NOT NULL DEFAULT '',
    edited_at      TIMESTAMPTZ,                             -- the last edit by its author
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX proposals_process ON proposals (process_id, id);
CREATE INDEX proposals_author ON proposals (author_id, id);

-- One support per resident per proposal, withdrawable while the process takes supports.
CREATE TABLE proposal_supports (
    proposal_id  BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX proposal_supports_user ON proposal_supports (user_id);
