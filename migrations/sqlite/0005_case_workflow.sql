-- The built-in case workflow (Gongzhi as the case system): 受理 → 立案 (or 不予立案) →
-- 派遣 → 处置 → 核查 → 结案, with 退回 to the dispatcher. Each report the built-in case
-- system accepts becomes a case; each step is a timeline entry naming the step.
-- Kept in step with migrations/postgres/0005_case_workflow.sql (a test compares the schemas).

-- The dispatch centre (指挥中心) accepts, registers, dispatches, verifies and closes cases.
ALTER TABLE departments ADD COLUMN dispatch BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE cases (
    report_id      INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    stage          TEXT NOT NULL DEFAULT 'new'
                   CHECK (stage IN ('new', 'accepted', 'registered', 'dispatched', 'handled', 'verified', 'closed', 'declined')),
    department_id  INTEGER REFERENCES departments (id),   -- the handling department, once dispatched
    round          INTEGER NOT NULL DEFAULT 0,             -- 处置 rounds: a failed 核查 starts another
    returns        INTEGER NOT NULL DEFAULT 0,             -- times a department sent it back (退回)
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX cases_stage ON cases (stage, report_id);
CREATE INDEX cases_department ON cases (department_id, stage);

-- The workflow step a timeline entry records (accept, register, decline, dispatch, return,
-- handle, verify, verify_failed, close); NULL for other entries.
ALTER TABLE report_events ADD COLUMN step TEXT;
-- Photos taken by the department when handling (处置后照片) belong to that entry.
ALTER TABLE photos ADD COLUMN event_id INTEGER REFERENCES report_events (id) ON DELETE CASCADE;
CREATE INDEX photos_event ON photos (event_id);

-- The newest update time taken from an external case system for each report: an update
-- older than it (a late or repeated delivery) is dropped, so a stale status never wins.
ALTER TABLE reports ADD COLUMN external_updated_at TEXT;

-- Reports the built-in case system already took become cases at the matching stage.
INSERT INTO cases (report_id, stage, department_id, created_at, updated_at)
SELECT id,
       CASE status WHEN 'submitted' THEN 'new' WHEN 'accepted' THEN 'registered'
                   WHEN 'in_progress' THEN 'dispatched' WHEN 'reopened' THEN 'dispatched'
                   WHEN 'resolved' THEN 'handled' WHEN 'closed' THEN 'closed' ELSE 'declined' END,
       CASE WHEN status IN ('in_progress', 'reopened', 'resolved', 'closed') THEN department_id END,
       created_at, updated_at
FROM reports WHERE forward_state = 'sent' AND external_id IS NULL;
