-- Ask the government (网络问政): residents' public questions to departments, the
-- departments' public answers (with every earlier wording kept), the working-day deadline
-- each department answers within, the holiday calendar that deadline skips, and ratings.
-- Kept in step with migrations/postgres/0013_questions.sql (a test compares the schemas).

-- How many working days a department has to answer a question.
ALTER TABLE departments ADD COLUMN answer_days INTEGER NOT NULL DEFAULT 5 CHECK (answer_days BETWEEN 1 AND 60);

-- The city's calendar exceptions, by local date: public holidays (no work), and weekend
-- days made working days (调休).
CREATE TABLE calendar_days (
    day         TEXT PRIMARY KEY,                   -- YYYY-MM-DD, the city's local date
    kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE questions (
    id                 INTEGER PRIMARY KEY,
    asker_id           INTEGER REFERENCES users (id) ON DELETE SET NULL,   -- shown by display name only
    -- The department that answers; NULL while the asker was not sure and no admin has routed it.
    department_id      INTEGER REFERENCES departments (id),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,                 -- plain text as typed
    -- 'routing' (waiting for an admin), 'open' (with the department), 'looking_into'
    -- (the department is looking into it, expected_on says until when), 'answered'.
    status             TEXT NOT NULL CHECK (status IN ('routing', 'open', 'looking_into', 'answered')),
    want_count         INTEGER NOT NULL DEFAULT 0,    -- "I want to know too"
    comment_count      INTEGER NOT NULL DEFAULT 0,
    -- The department's clock: started when the question reached it (published and routed),
    -- restarted by a hand-over or the asker's follow-up; due_at is answer_days working days on.
    received_at        TEXT,
    due_at             TEXT,
    expected_on        TEXT,                          -- looking into it: the answer expected by (local date)
    first_answered_at  TEXT,                          -- for the time to answer
    answered_at        TEXT,                          -- the newest answer
    follow_up          TEXT,                          -- the asker's one follow-up
    follow_up_at       TEXT,
    visibility         TEXT NOT NULL DEFAULT 'visible' CHECK (visibility IN ('visible', 'held', 'hidden')),
    hidden_reason      TEXT NOT NULL DEFAULT '',
    hidden_note        TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX questions_department ON questions (department_id, status, id);
CREATE INDEX questions_status ON questions (status, id);
CREATE INDEX questions_wanted ON questions (want_count, id);
CREATE INDEX questions_due ON questions (due_at);
CREATE INDEX questions_asker ON questions (asker_id, id);

-- The question's public timeline: asked, published, routed, handed over (from one department
-- to another, with a public note), being looked into, answered, answer edited, follow-up.
CREATE TABLE question_events (
    id                   INTEGER PRIMARY KEY,
    question_id          INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    kind                 TEXT NOT NULL CHECK (kind IN ('asked', 'published', 'routed', 'handed_over', 'looking_into', 'answered', 'answer_edited', 'follow_up')),
    department_id        INTEGER REFERENCES departments (id),   -- the department it concerns (the new one on a hand-over)
    from_department_id   INTEGER REFERENCES departments (id),   -- a hand-over's old department
    note                 TEXT NOT NULL DEFAULT '',
    expected_on          TEXT,
    actor_id             INTEGER REFERENCES users (id) ON DELETE SET NULL,   -- never shown publicly
    created_at           TEXT NOT NULL
);
CREATE INDEX question_events_question ON question_events (question_id, id);

-- One "I want to know too" per resident per question.
CREATE TABLE question_wants (
    question_id  INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);
CREATE INDEX question_wants_user ON question_wants (user_id);

CREATE TABLE question_follows (
    question_id  INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);
CREATE INDEX question_follows_user ON question_follows (user_id);

-- The department's public answers, oldest first: the first, and one more after the asker's
-- follow-up. The text shown is the newest wording; every earlier one is in answer_revisions.
CREATE TABLE answers (
    id             INTEGER PRIMARY KEY,
    question_id    INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    department_id  INTEGER NOT NULL REFERENCES departments (id),
    author_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,   -- never shown publicly
    body           TEXT NOT NULL,                 -- markdown as typed
    body_html      TEXT NOT NULL,                 -- rendered and sanitized
    -- The clock this answer ran against: when the question reached the department, and its
    -- deadline (for the time to answer and the on-time share).
    received_at    TEXT NOT NULL,
    due_at         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    edited_at      TEXT
);
CREATE INDEX answers_question ON answers (question_id, id);
CREATE INDEX answers_department ON answers (department_id, created_at);

-- An answer's earlier wordings, each as it read until the edit made at replaced_at.
CREATE TABLE answer_revisions (
    id           INTEGER PRIMARY KEY,
    answer_id    INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    body         TEXT NOT NULL,
    body_html    TEXT NOT NULL,
    written_at   TEXT NOT NULL,                 -- when this wording was published
    replaced_at  TEXT NOT NULL,
    editor_id    INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX answer_revisions_answer ON answer_revisions (answer_id, id);

-- Satisfaction ratings (好差评) in the five national levels, with optional dimensions and a
-- comment. One per subject per rater: rater_key is 'u:<user id>' (or, for anonymous
-- reporters, a key derived from the tracking code). department_id is the department judged.
CREATE TABLE ratings (
    id             INTEGER PRIMARY KEY,
    subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('report', 'answer', 'service')),
    subject_id     INTEGER NOT NULL,
    rater_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    rater_key      TEXT NOT NULL,
    department_id  INTEGER REFERENCES departments (id),
    level          TEXT NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied')),
    speed          TEXT CHECK (speed IS NULL OR speed IN ('very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied')),
    result         TEXT CHECK (result IS NULL OR result IN ('very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied')),
    attitude       TEXT CHECK (attitude IS NULL OR attitude IN ('very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied')),
    comment        TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (subject_kind, subject_id, rater_key)
);
CREATE INDEX ratings_department ON ratings (department_id, subject_kind);

-- Notifications about a question: kind 'question', detail the event (answered, handed_over, ...).
ALTER TABLE notifications ADD COLUMN question_id INTEGER REFERENCES questions (id) ON DELETE CASCADE;
