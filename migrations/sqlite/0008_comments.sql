-- Discussion (讨论) on processes and proposals: threaded comments, each with a stance (for,
-- against, neutral) so a reader sees both sides, "helpful" votes that rank the strongest
-- arguments, a 15-minute edit window, and deletion that leaves a tombstone so replies stay
-- readable.
-- Kept in step with migrations/postgres/0008_comments.sql (a test compares the schemas).

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    process_id     INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    proposal_id    INTEGER REFERENCES proposals (id) ON DELETE CASCADE,   -- NULL: on the process itself
    parent_id      INTEGER REFERENCES comments (id) ON DELETE CASCADE,    -- NULL: starts a thread
    root_id        INTEGER REFERENCES comments (id) ON DELETE CASCADE,    -- a reply's thread (NULL for the thread's first comment)
    depth          INTEGER NOT NULL DEFAULT 1 CHECK (depth BETWEEN 1 AND 3),
    author_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    stance         TEXT NOT NULL CHECK (stance IN ('for', 'against', 'neutral')),
    body           TEXT NOT NULL,                 -- markdown as typed
    body_html      TEXT NOT NULL,                 -- rendered and sanitized
    helpful_count  INTEGER NOT NULL DEFAULT 0,
    visibility     TEXT NOT NULL DEFAULT 'visible' CHECK (visibility IN ('visible', 'held', 'hidden')),
    hidden_reason  TEXT NOT NULL DEFAULT '',
    deleted_at     TEXT,                        -- deleted by its author: a tombstone stays
    edited_at      TEXT,
    created_at     TEXT NOT NULL
);
-- A subject's threads in each order (keyset pages), and a page's replies by thread.
CREATE INDEX comments_threads ON comments (process_id, proposal_id, parent_id, id);
CREATE INDEX comments_helpful ON comments (process_id, proposal_id, parent_id, helpful_count, id);
CREATE INDEX comments_root ON comments (root_id, id);

-- One "helpful" per user per comment.
CREATE TABLE comment_votes (
    comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);
