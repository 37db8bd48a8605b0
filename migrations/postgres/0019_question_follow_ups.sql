-- The asker's follow-up is screened like the question itself: held for review when the
-- city reviews questions before publication (or the word list matches), published (and
-- the question given back to the department) only when approved. A refused follow-up
-- leaves its reason to the asker, who may write another. questions.follow_up keeps the
-- published one.
-- Kept in step with migrations/sqlite/0019_question_follow_ups.sql (a test compares the schemas).

CREATE TABLE question_follow_ups (
    id             BIGSERIAL PRIMARY KEY,
    question_id    BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    author_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body           TEXT NOT NULL,                 -- plain text as typed
    visibility     TEXT NOT NULL DEFAULT 'visible' CHECK (visibility IN ('visible', 'held', 'hidden')),
    hidden_reason  TEXT NOT NULL DEFAULT '',
    hidden_note    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX question_follow_ups_question ON question_follow_ups (question_id, id);

-- Follow-ups published before screening existed.
INSERT INTO question_follow_ups (question_id, author_id, body, visibility, created_at)
SELECT id, asker_id, follow_up, 'visible', follow_up_at FROM questions
WHERE follow_up IS NOT NULL AND follow_up_at IS NOT NULL;
