-- Text search on reports through an index instead of reading every report.
--
-- Trigram (pg_trgm) GIN indexes on the lower-cased description and address: a LIKE
-- search of three or more characters, Chinese included, looks up the reports that contain
-- each three-character run and checks only those. pg_trgm ships with PostgreSQL and is a
-- trusted extension (the database's owner may create it); where it cannot be created the
-- migration still succeeds, says so, and searches read every report as before.
-- Kept in step with migrations/sqlite/0023_report_search.sql (an FTS5 trigram index).

DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX reports_description_trgm ON reports USING gin (lower(description) gin_trgm_ops);
    CREATE INDEX reports_address_trgm ON reports USING gin (lower(address) gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'pg_trgm is not available (%): report text search will read every report', SQLERRM;
END $$;
