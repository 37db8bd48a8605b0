-- Files officials attach to a public answer: PDF documents, and images (re-encoded, so no
-- metadata of the original survives). A removed file stays listed with when it was removed,
-- so an answer never loses evidence silently; its bytes leave the blob store.
-- Kept in step with migrations/postgres/0016_answer_files.sql (a test compares the schemas).

CREATE TABLE answer_files (
    id            INTEGER PRIMARY KEY,
    answer_id     INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    uid           TEXT NOT NULL UNIQUE,          -- random; names the file in URLs
    blob_key      TEXT NOT NULL,
    name          TEXT NOT NULL,                 -- the file name shown (cleaned of paths)
    content_type  TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg')),
    bytes         INTEGER NOT NULL,
    uploaded_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,   -- never shown publicly
    created_at    TEXT NOT NULL,
    removed_at    TEXT,
    removed_by    INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX answer_files_answer ON answer_files (answer_id, id);
