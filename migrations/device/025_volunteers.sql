-- Volunteers, version 25. A case's allocation log carries what a volunteer
-- allocated to it holds: its contact brief, its appointments (those written
-- from this version on), and volunteers' notes. A volunteer's store has no
-- person row for their cases, so notes, amendments and appointments no
-- longer reference persons: the migration's hook
-- (`db::unreference_persons`) takes the three REFERENCES clauses out of the
-- schema's text, as SQLite documents for dropping a constraint.
CREATE TABLE contact_briefs (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL,
    name          TEXT NOT NULL,
    phone         TEXT,
    safe_contact  TEXT NOT NULL,
    version       INTEGER NOT NULL,
    clocks        TEXT NOT NULL,
    removed_at    INTEGER
);
CREATE INDEX contact_briefs_by_case ON contact_briefs(case_id);
-- The log each unsent change travels in (NULL: as its kind says).
ALTER TABLE outbox ADD COLUMN log_id TEXT;
-- An appointment written before allocation logs travels in its case's log
-- for life; one written since, in the allocation log.
ALTER TABLE appointments ADD COLUMN in_case_log INTEGER NOT NULL DEFAULT 0;
UPDATE appointments SET in_case_log = 1;
