-- Passing reports to the case system: the job queue, API keys for the Open311 API, and
-- each report's forwarding state.
-- Kept in step with migrations/sqlite/0004_cases.sql (a test compares the schemas).

-- Work that must follow a write (forward a report, send a mail) is enqueued in the same
-- transaction as the write. A runner claims due jobs under a lease (a runner that dies
-- loses its claim when the lease ends), retries failures with exponential backoff and
-- jitter, and after max_attempts dead-letters the job for an admin to see and retry.
CREATE TABLE jobs (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,                -- JSON: the task
    dedupe_key    TEXT UNIQUE,                  -- the same work enqueued twice is one job
    state         TEXT NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts      BIGINT NOT NULL DEFAULT 0,
    max_attempts  BIGINT NOT NULL CHECK (max_attempts > 0),
    run_at        TIMESTAMPTZ NOT NULL,
    locked_by     TEXT,
    locked_until  TIMESTAMPTZ,
    last_error    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ
);
CREATE INDEX jobs_due ON jobs (state, run_at);

-- Keys for other software posting through the Open311 API. Only a hash is kept; the key
-- is shown once, when issued.
CREATE TABLE api_keys (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    key_prefix    TEXT NOT NULL,                -- the first characters, to tell keys apart
    created_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);

-- Where a report stands with the case system: waiting (not yet accepted; forward_error
-- says why the last try failed) or sent (external_id is the case system's id).
ALTER TABLE reports ADD COLUMN forward_state TEXT NOT NULL DEFAULT 'waiting'
    CHECK (forward_state IN ('waiting', 'sent'));
ALTER TABLE reports ADD COLUMN forward_error TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN forward_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN external_id TEXT;
-- A case system that answers a post with a token only: the token, until it names the id.
ALTER TABLE reports ADD COLUMN external_token TEXT;
ALTER TABLE reports ADD COLUMN sent_at TIMESTAMPTZ;
-- Reports posted through the Open311 API: which key posted them.
ALTER TABLE reports ADD COLUMN api_key_id BIGINT REFERENCES api_keys (id);
CREATE INDEX reports_external ON reports (external_id);

-- A timeline entry that came from the case system carries the case system's id for it,
-- so the same update arriving twice (a poll, a webhook, a retried post) is one entry.
ALTER TABLE report_events ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX report_events_external ON report_events (report_id, external_id);
-- The update feed (servicerequestupdates) reads entries by time.
CREATE INDEX report_events_at ON report_events (at);
CREATE INDEX reports_updated ON reports (updated_at);

-- Reports filed before the queue existed are forwarded too.
INSERT INTO jobs (kind, payload, dedupe_key, max_attempts, run_at, created_at, updated_at)
SELECT 'forward_report', '{"kind":"forward_report","report_id":' || id || '}', 'forward_report:' || id, 10,
       now(), now(), now()
FROM reports;
