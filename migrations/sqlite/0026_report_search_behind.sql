-- The text of new reports is indexed for search in batches, behind the report writer.
--
-- FTS5 writes a segment of its index and updates its structure in every transaction that
-- adds text: with the trigger of migration 0023, in every commit of the report writer. A
-- SQLite measurement on the benchmark's data (batches of 16 reports, the writer's average
-- under load): a report cost 118 µs to write with the index in the same transaction and
-- 55 µs without; indexing the same reports afterwards in batches of 2,000 cost 6 µs each.
-- Now a new report is only noted here, and the job runner indexes what is noted about once
-- a second (`reports::search::index_waiting`). Searches look at the noted reports too (by
-- LIKE, as they decide every match), so a report is found from the moment it is filed.
-- The index must never be told to delete text it does not hold (that would corrupt it):
-- a report deleted or edited while it waits is left to the waiting list.
-- PostgreSQL's GIN indexes keep new entries in a pending list of their own
-- (migrations/postgres/0026_report_search_behind.sql).

CREATE TABLE reports_search_pending (
    report_id  INTEGER PRIMARY KEY
);

DROP TRIGGER reports_search_insert;
CREATE TRIGGER reports_search_insert AFTER INSERT ON reports BEGIN
    INSERT INTO reports_search_pending (report_id) VALUES (new.id);
END;

DROP TRIGGER reports_search_delete;
CREATE TRIGGER reports_search_delete AFTER DELETE ON reports BEGIN
    INSERT INTO reports_search (reports_search, rowid, description, address)
    SELECT 'delete', old.id, old.description, old.address
    WHERE NOT EXISTS (SELECT 1 FROM reports_search_pending WHERE report_id = old.id);
    DELETE FROM reports_search_pending WHERE report_id = old.id;
END;

DROP TRIGGER reports_search_update;
CREATE TRIGGER reports_search_update AFTER UPDATE OF description, address ON reports
WHEN NOT EXISTS (SELECT 1 FROM reports_search_pending WHERE report_id = old.id) BEGIN
    INSERT INTO reports_search (reports_search, rowid, description, address)
    VALUES ('delete', old.id, old.description, old.address);
    INSERT INTO reports_search (rowid, description, address) VALUES (new.id, new.description, new.address);
END;
