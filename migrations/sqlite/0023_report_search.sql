-- Text search on reports through an index instead of reading every report.
--
-- A trigram index (FTS5) on the description and the address: a search of three or more
-- characters, Chinese included (it has no spaces between words, so word indexes do not
-- fit), looks up the reports that contain each three-character run and checks only those.
-- Shorter searches still read every report. The index keeps no copy of the text (it reads
-- it from reports) and triggers keep it in step whatever code changes a report.
-- PostgreSQL does the same with pg_trgm indexes (migrations/postgres/0023_report_search.sql);
-- the schema comparison leaves out this table and the ones FTS5 makes for it.

CREATE VIRTUAL TABLE reports_search USING fts5(
    description, address, content = 'reports', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO reports_search (rowid, description, address) SELECT id, description, address FROM reports;

CREATE TRIGGER reports_search_insert AFTER INSERT ON reports BEGIN
    INSERT INTO reports_search (rowid, description, address) VALUES (new.id, new.description, new.address);
END;
CREATE TRIGGER reports_search_delete AFTER DELETE ON reports BEGIN
    INSERT INTO reports_search (reports_search, rowid, description, address)
    VALUES ('delete', old.id, old.description, old.address);
END;
CREATE TRIGGER reports_search_update AFTER UPDATE OF description, address ON reports BEGIN
    INSERT INTO reports_search (reports_search, rowid, description, address)
    VALUES ('delete', old.id, old.description, old.address);
    INSERT INTO reports_search (rowid, description, address) VALUES (new.id, new.description, new.address);
END;
