-- The catalogue of government services residents rate (办事服务好差评): permits,
-- registrations and the like, each run by one department, managed by admins. A rating may
-- name the case or reference number it is about; a poor one is a rectification for the
-- department, which records what it did, and the rater is told.
-- Kept in step with migrations/postgres/0021_services.sql (a test compares the schemas).

CREATE TABLE services (
    id              INTEGER PRIMARY KEY,
    department_id   INTEGER NOT NULL REFERENCES departments (id),
    code            TEXT NOT NULL UNIQUE,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    description_zh  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX services_department ON services (department_id, code);

ALTER TABLE notifications ADD COLUMN service_id INTEGER REFERENCES services (id) ON DELETE CASCADE;
