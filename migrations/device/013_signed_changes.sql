-- Signed changes, version 13: every change arrives signed by a person's
-- identity (inside its encryption); this device applies it only when the
-- signer is this person or one an admin confirmed.
-- Who signed the changes each device sent, as verified here: conflicts and
-- history name the person behind a clock's device, not the device.
CREATE TABLE change_signers (
  device_id  TEXT NOT NULL,
  person_id  TEXT NOT NULL,
  first_at   INTEGER NOT NULL,
  PRIMARY KEY (device_id, person_id)
) WITHOUT ROWID;
-- A change held for a newer schema keeps who signed it (verified when it
-- arrived).
ALTER TABLE pending_remote ADD COLUMN signer TEXT;
-- A change is signed when it is written, by the person writing it (so on a
-- shared laptop each change names its writer, and a push has nothing left
-- to sign); one re-stamped or re-queued later is signed when it is sent.
ALTER TABLE outbox ADD COLUMN signed_by BLOB;
ALTER TABLE outbox ADD COLUMN signature BLOB;
-- The user name each certificate binds (admin-signed): how conflicts and
-- history name the person behind a change.
ALTER TABLE certified_identities ADD COLUMN subject_name TEXT;
