-- Signed sealed keys, version 12: sealed keys that reached this device
-- without a confirmed identity's signature, kept as they came (never
-- opened) and checked again after each sync's trust update: a key sealed
-- by a colleague before an admin confirmed them is kept once they are.
CREATE TABLE refused_keys (
  user_id         TEXT NOT NULL,
  key_id          INTEGER NOT NULL,
  log_id          TEXT NOT NULL,
  epoch           INTEGER NOT NULL,
  sealed          BLOB NOT NULL,
  sender_identity BLOB,
  signature       BLOB,
  reason          TEXT NOT NULL,
  refused_at      INTEGER NOT NULL,
  PRIMARY KEY (user_id, key_id)
) WITHOUT ROWID;
