-- Residents speak back: the reporter's follow-ups (补充说明) and "not fixed, reopen"
-- (要求重新办理) are timeline entries of kind 'follow_up' and 'reopen' by actor_role
-- 'reporter'. Where an external case system handles the report, each is passed on as an
-- Open311 update by a 'send_update' job; the entry records how that went.
-- Kept in step with migrations/postgres/0006_follow_ups.sql (a test compares the schemas).

-- NULL: nothing to pass on (built-in case system, or not a resident's entry);
-- 'waiting', 'sent', or 'refused' (the case system does not take it; relay_error says why).
ALTER TABLE report_events ADD COLUMN relay TEXT
    CHECK (relay IS NULL OR relay IN ('waiting', 'sent', 'refused'));
ALTER TABLE report_events ADD COLUMN relay_error TEXT NOT NULL DEFAULT '';
