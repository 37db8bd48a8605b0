-- Officials are told when a question's deadline is near and when it has passed, once per
-- deadline: each column holds the due_at that was told about (a hand-over or a follow-up
-- sets a new due_at, which is told about again).
-- Kept in step with migrations/postgres/0017_deadline_reminders.sql (a test compares the schemas).

ALTER TABLE questions ADD COLUMN due_soon_told TEXT;
ALTER TABLE questions ADD COLUMN overdue_told TEXT;
CREATE INDEX questions_open_due ON questions (status, due_at);
