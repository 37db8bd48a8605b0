-- The balance of a discussion (visible comments per stance) and its strongest arguments
-- (the most helpful per side) read from one index: the counts scan only the index, and the
-- strongest three of a side are its first three entries, however long the discussion.
-- Kept in step with migrations/postgres/0010_comment_balance.sql.

CREATE INDEX comments_balance ON comments
    (process_id, proposal_id, stance, visibility, deleted_at, helpful_count DESC, id);
