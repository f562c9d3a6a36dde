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
    org_id        UUID NOT NULL,
    log_id        UUID NOT NULL,
    requested_by  UUID NOT NULL,
    requested_at  BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    reason        BYTEA NOT NULL,
    rule          TEXT NOT NULL,
    PRIMARY KEY (org_id, log_id)
);

-- A done erasure's reason, sealed (the plain `reason` column is empty for
-- these; it keeps older erasures' words), and who confirmed it.
ALTER TABLE erased_logs ADD COLUMN reason_sealed BYTEA;
ALTER TABLE erased_logs ADD COLUMN confirmed_by UUID;
