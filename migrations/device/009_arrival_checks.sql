-- Arrivals checked like local writes, version 9. A pulled change carries
-- when the server received it: its clock may be no further ahead of that than
-- a push may be of the server's clock. Changes kept for later (waiting for a
-- key, or for an upgrade) keep that time too.
ALTER TABLE awaiting_key ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pending_remote ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;

-- A refused change is kept as it came (ciphertext for a case's log), so
-- nothing refused is lost: it can be inspected and exported.
ALTER TABLE refused_changes ADD COLUMN body BLOB;

-- What waits already came before now: now bounds its receipt time.
UPDATE awaiting_key SET received_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);
UPDATE pending_remote SET received_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);
