-- End-to-end encryption: case keys sealed to each recipient's public key (a
-- member's device, or the organisation's recovery key). The server stores
-- and relays them; it cannot open them. `id` orders them for a device's
-- "my keys" cursor.
CREATE TABLE sealed_keys (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            TEXT NOT NULL,
    log_id            TEXT NOT NULL,
    epoch             INTEGER NOT NULL,
    recipient_key     BLOB NOT NULL,
    sealed            BLOB NOT NULL,
    sealed_by_device  TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    UNIQUE (org_id, log_id, epoch, recipient_key)
);
CREATE INDEX sealed_keys_recipient ON sealed_keys(recipient_key, id);

-- A case's current key epoch: 0 until its first sealed key arrives.
ALTER TABLE logs ADD COLUMN key_epoch INTEGER NOT NULL DEFAULT 0;
-- 1 when a recipient of the current key left (unshared, another keyworker,
-- a disabled person, a revoked device): the next member device to sync makes
-- a new key (epoch + 1) for later changes and seals it to the members left.
ALTER TABLE logs ADD COLUMN needs_rotation INTEGER NOT NULL DEFAULT 0;

-- The organisation's recovery public key (its private half is kept offline).
ALTER TABLE orgs ADD COLUMN recovery_key BLOB;

-- Erased cases (crypto-shredding): their changes, attachments and sealed
-- keys are deleted; this row remains so that devices drop their copies at
-- their next sync and nothing can be written to the case again.
CREATE TABLE erased_logs (
    org_id     TEXT NOT NULL,
    log_id     TEXT NOT NULL,
    erased_at  BIGINT NOT NULL,
    erased_by  TEXT,
    reason     TEXT NOT NULL,
    PRIMARY KEY (org_id, log_id)
);
