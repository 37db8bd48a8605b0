-- Live Q&A sessions (网络问政直播): an admin schedules a department for a time window;
-- during it residents submit questions and upvote them, and the department's officials
-- mark one "answering now" and publish answers. Every change is also an event row, so a
-- browser that lost its connection catches up from the last event it saw, and, on
-- PostgreSQL, instances tell each other of new events with NOTIFY.
-- Kept in step with migrations/postgres/0014_live.sql (a test compares the schemas).

CREATE TABLE live_sessions (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    department_id  INTEGER NOT NULL REFERENCES departments (id),
    starts_at      TEXT NOT NULL,
    ends_at        TEXT NOT NULL,
    created_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX live_sessions_time ON live_sessions (ends_at, starts_at);

CREATE TABLE live_questions (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body          TEXT NOT NULL,
    votes         INTEGER NOT NULL DEFAULT 0,
    -- 'waiting', 'answering' (the official is answering it now), 'answered'.
    status        TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'answering', 'answered')),
    answer        TEXT NOT NULL DEFAULT '',        -- markdown as typed
    answer_html   TEXT NOT NULL DEFAULT '',        -- rendered and sanitized
    answered_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,   -- never shown publicly
    -- Moderation, as for other residents' content: hidden questions leave the live list.
    visibility    TEXT NOT NULL DEFAULT 'visible' CHECK (visibility IN ('visible', 'held', 'hidden')),
    hidden_reason TEXT NOT NULL DEFAULT '',
    hidden_note   TEXT NOT NULL DEFAULT '',
    answered_at   TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX live_questions_session ON live_questions (session_id, votes, id);

-- One upvote per resident per question.
CREATE TABLE live_votes (
    question_id  INTEGER NOT NULL REFERENCES live_questions (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);

-- What browsers are told, in order: kind 'question' (new or published after review), 'votes',
-- 'status', 'answer', 'hidden' (moderators took it out);
-- data is the question as JSON after the change.
CREATE TABLE live_events (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('question', 'votes', 'status', 'answer', 'hidden')),
    data         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX live_events_session ON live_events (session_id, id);
