-- Kept in step with migrations/sqlite/0026_report_search_behind.sql, where new reports'
-- text is indexed in batches behind the report writer. PostgreSQL's GIN indexes do that
-- themselves: new entries go to the index's pending list (`fastupdate`, the default, made
-- explicit here) and are merged in by VACUUM or when the list is full. The indexes are
-- missing where pg_trgm could not be created (migration 0023).

ALTER INDEX IF EXISTS reports_description_trgm SET (fastupdate = on);
ALTER INDEX IF EXISTS reports_address_trgm SET (fastupdate = on);
