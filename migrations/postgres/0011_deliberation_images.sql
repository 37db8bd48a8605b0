-- A cover image for each process and an optional image for each proposal. They are rows of
-- `photos`, checked by content and re-encoded without metadata exactly like report photos,
-- with the text alternative their uploader wrote; at most one per process and per proposal
-- (a new one replaces the old). A photo with none of report_id, event_id, process_id and
-- proposal_id set is an upload still waiting for its form.
-- Kept in step with migrations/sqlite/0011_deliberation_images.sql (a test compares the schemas).

ALTER TABLE photos ADD COLUMN process_id BIGINT REFERENCES processes (id) ON DELETE CASCADE;
ALTER TABLE photos ADD COLUMN proposal_id BIGINT REFERENCES proposals (id) ON DELETE CASCADE;
ALTER TABLE photos ADD COLUMN alt TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX photos_process ON photos (process_id) WHERE process_id IS NOT NULL;
CREATE UNIQUE INDEX photos_proposal ON photos (proposal_id) WHERE proposal_id IS NOT NULL;
