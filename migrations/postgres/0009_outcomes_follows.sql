-- The end of a deliberation: the department's answers to proposals (outcomes) and the
-- process's closing report; duplicates merged by officials; residents following processes
-- and proposals; and notifications about all of these (replies, outcomes, merges, phase
-- changes) beside the report notifications.
-- Kept in step with migrations/sqlite/0009_outcomes_follows.sql (a test compares the schemas).

-- Every answer the department publishes on a proposal, oldest first; the newest is the
-- proposal's outcome ("under study" is later followed by a decision, "implemented" by
-- progress), and the earlier ones stay as its history.
CREATE TABLE proposal_outcomes (
    id             BIGSERIAL PRIMARY KEY,
    proposal_id    BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    outcome        TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected', 'under_study', 'implemented')),
    body           TEXT NOT NULL,                 -- markdown as typed: the reasons, the plan
    body_html      TEXT NOT NULL,
    progress       BIGINT CHECK (progress IS NULL OR progress BETWEEN 0 AND 100),  -- implemented: how far, in %
    department_id  BIGINT NOT NULL REFERENCES departments (id),
    author_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,  -- never shown publicly
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX proposal_outcomes_proposal ON proposal_outcomes (proposal_id, id);

-- The newest answer's outcome (NULL: not answered yet), for lists and filters.
ALTER TABLE proposals ADD COLUMN outcome TEXT;
-- A duplicate merged into another proposal: its supports moved there; it stays readable.
ALTER TABLE proposals ADD COLUMN merged_into BIGINT REFERENCES proposals (id);
ALTER TABLE proposals ADD COLUMN merged_at TIMESTAMPTZ;

-- The closing report (结果公开), published from the decision phase on.
ALTER TABLE processes ADD COLUMN closing_report TEXT NOT NULL DEFAULT '';
ALTER TABLE processes ADD COLUMN closing_report_html TEXT NOT NULL DEFAULT '';
ALTER TABLE processes ADD COLUMN closing_report_at TIMESTAMPTZ;
-- The phase followers were last told of (NULL: not yet looked at).
ALTER TABLE processes ADD COLUMN announced_phase TEXT;

CREATE TABLE process_follows (
    process_id  BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (process_id, user_id)
);
CREATE INDEX process_follows_user ON process_follows (user_id);

CREATE TABLE proposal_follows (
    proposal_id  BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX proposal_follows_user ON proposal_follows (user_id);

-- What a notification is about besides a report: kinds 'reply', 'outcome', 'merged',
-- 'closing_report' and 'phase' name their process, proposal or comment; detail holds the
-- outcome or the phase.
ALTER TABLE notifications ADD COLUMN process_id BIGINT REFERENCES processes (id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN proposal_id BIGINT REFERENCES proposals (id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN comment_id BIGINT REFERENCES comments (id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN detail TEXT NOT NULL DEFAULT '';
