-- Ratings come in rounds: a poor rating (不满意, 非常不满意) of a closed report sends it back
-- for rectification (整改) with a deadline, and once it closes again its reporter rates the
-- new round. Ratings of services may name the case or reference number they are about.
-- A rectification is the work a poor rating sent back: its deadline, when it was done
-- (for a report: when it closed again; for a service: when the department recorded what it
-- did) and, for services, what was done.
-- Kept in step with migrations/sqlite/0020_rectifications.sql (a test compares the schemas).

ALTER TABLE ratings ADD COLUMN round BIGINT NOT NULL DEFAULT 1;
ALTER TABLE ratings ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE ratings DROP CONSTRAINT ratings_subject_kind_subject_id_rater_key_key;
ALTER TABLE ratings ADD CONSTRAINT ratings_one_per_round UNIQUE (subject_kind, subject_id, rater_key, round, reference);
CREATE INDEX ratings_time ON ratings (created_at);

CREATE TABLE rectifications (
    id             BIGSERIAL PRIMARY KEY,
    subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('report', 'service')),
    subject_id     BIGINT NOT NULL,
    -- The round of ratings that sent the work back (a report's next rating is round + 1).
    round          BIGINT NOT NULL,
    rating_id      BIGINT REFERENCES ratings (id) ON DELETE SET NULL,
    department_id  BIGINT NOT NULL REFERENCES departments (id),
    due_at         TIMESTAMPTZ NOT NULL,
    done_at        TIMESTAMPTZ,
    done_note      TEXT NOT NULL DEFAULT '',   -- services: what the department did (public)
    done_by        BIGINT REFERENCES users (id) ON DELETE SET NULL,   -- never shown publicly
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (subject_kind, subject_id, round)
);
CREATE INDEX rectifications_department ON rectifications (department_id, done_at, due_at);
CREATE INDEX rectifications_time ON rectifications (created_at);
