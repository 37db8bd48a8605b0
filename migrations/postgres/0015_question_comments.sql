-- Residents' comments on public questions: flat, moderated like other residents' content
-- (hidden comments leave a tombstone with the reason), and told to the question's followers.
-- Kept in step with migrations/sqlite/0015_question_comments.sql (a test compares the schemas).

CREATE TABLE question_comments (
    id             BIGSERIAL PRIMARY KEY,
    question_id    BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    author_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body           TEXT NOT NULL,                 -- plain text as typed
    visibility     TEXT NOT NULL DEFAULT 'visible' CHECK (visibility IN ('visible', 'held', 'hidden')),
    hidden_reason  TEXT NOT NULL DEFAULT '',
    hidden_note    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX question_comments_question ON question_comments (question_id, id);
