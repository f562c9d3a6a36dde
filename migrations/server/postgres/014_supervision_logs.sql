-- Companion logs, version 14: a case's supervision log (its supervision
-- notes) is a log of its own, read by the case's keyworker and its team's
-- supervisors only. `case_id` names the case it belongs to (NULL for a
-- case's own log and the organisation's); its keyworker and team follow
-- the case's (a reassignment moves both).
ALTER TABLE logs ADD COLUMN case_id UUID;
ALTER TABLE logs ADD COLUMN audience TEXT NOT NULL DEFAULT 'case'
    CHECK (audience IN ('case', 'supervision'));
CREATE INDEX logs_case ON logs(case_id);
