-- The balance of a discussion (visible comments per stance) and its strongest arguments
-- (the most helpful per side) read from one partial index of the visible, undeleted
-- comments: the strongest three of a side are its first three entries, however long the
-- discussion, and the counts need no sort. (Partial, so that both databases can walk it in
-- helpful order: an IS NULL column in the middle of an index stops PostgreSQL from doing so.)
-- Kept in step with migrations/postgres/0010_comment_balance.sql.

CREATE INDEX comments_balance ON comments (process_id, proposal_id, stance, helpful_count DESC, id)
    WHERE visibility = 'visible' AND deleted_at IS NULL;
