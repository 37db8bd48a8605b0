-- Ratings come in rounds: a poor rating (不满意, 非常不满意) of a closed report sends it back
-- for rectification (整改) with a deadline, and once it closes again its reporter rates the
-- new round. Ratings of services may name the case or reference number they are about.
-- A rectification is the work a poor rating sent back: its deadline, when it was done
-- (for a report: when it closed again; for a service: when the department recorded what it
-- did) and, for services, what was done.
-- Kept in step with migrations/postgres/0020_rectifications.sql (a test compares the schemas).

-- SQLite cannot change a table's unique constraint in place: the table is rebuilt.
CREATE TABLE ratings_rounds (
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
    -- 1 for the first rating of a subject; a rectified report's next rating is round 2, …
    round          INTEGER NOT NULL DEFAULT 1,
    -- The case or reference number a service's rating is about ('' when none).
    reference      TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (subject_kind, subject_id, rater_key, round, reference)
);
INSERT INTO ratings_rounds (id, subject_kind, subject_id, rater_id, rater_key, department_id, level, speed, result,
                            attitude, comment, created_at, updated_at)
SELECT id, subject_kind, subject_id, rater_id, rater_key, department_id, level, speed, result, attitude, comment,
       created_at, updated_at FROM ratings;
DROP TABLE ratings;
ALTER TABLE ratings_rounds RENAME TO ratings;
CREATE INDEX ratings_department ON ratings (department_id, subject_kind);
CREATE INDEX ratings_time ON ratings (created_at);

CREATE TABLE rectifications (
    id             INTEGER PRIMARY KEY,
    subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('report', 'service')),
    subject_id     INTEGER NOT NULL,
    -- The round of ratings that sent the work back (a report's next rating is round + 1).
    round          INTEGER NOT NULL,
    rating_id      INTEGER REFERENCES ratings (id) ON DELETE SET NULL,
    department_id  INTEGER NOT NULL REFERENCES departments (id),
    due_at         TEXT NOT NULL,
    done_at        TEXT,
    done_note      TEXT NOT NULL DEFAULT '',   -- services: what the department did (public)
    done_by        INTEGER REFERENCES users (id) ON DELETE SET NULL,   -- never shown publicly
    created_at     TEXT NOT NULL,
    UNIQUE (subject_kind, subject_id, round)
);
CREATE INDEX rectifications_department ON rectifications (department_id, done_at, due_at);
CREATE INDEX rectifications_time ON rectifications (created_at);
