-- An admin may change a live session, or call it off, until it starts
-- (with a public note); a called-off session takes no questions and says why.
-- Kept in step with migrations/sqlite/0018_live_changes.sql (a test compares the schemas).

ALTER TABLE live_sessions ADD COLUMN cancelled_at TIMESTAMPTZ;
ALTER TABLE live_sessions ADD COLUMN cancel_note TEXT NOT NULL DEFAULT '';
ALTER TABLE live_sessions ADD COLUMN updated_at TIMESTAMPTZ;
