-- Erasing a case takes two people, or time. The organisation
-- chooses its rule: 'second-person' (another supervisor or admin confirms
-- within erasure_hours, else the request lapses) or 'grace' (it runs after
-- erasure_hours unless cancelled meanwhile).
ALTER TABLE orgs ADD COLUMN erasure_rule TEXT NOT NULL DEFAULT 'second-person';
ALTER TABLE orgs ADD COLUMN erasure_hours INTEGER NOT NULL DEFAULT 72;

-- Requests waiting for their second person or their time, each under the
-- rule it was asked under. The reason is sealed to the organisation's
-- recovery key by the device that asked.
CREATE TABLE erasure_requests (
    org_id        TEXT NOT NULL,
    log_id        TEXT NOT NULL,
    requested_by  TEXT NOT NULL,
    requested_at  INTEGER NOT NULL,
    due_at        INTEGER NOT NULL,
    reason        BLOB NOT NULL,
    rule          TEXT NOT NULL,
    PRIMARY KEY (org_id, log_id)
);

-- A done erasure's reason, sealed (the plain `reason` column is empty for
-- these; it keeps older erasures' words), and who confirmed it.
ALTER TABLE erased_logs ADD COLUMN reason_sealed BLOB;
ALTER TABLE erased_logs ADD COLUMN confirmed_by TEXT;
