-- End-to-end encryption: each person's X25519 key pair on this device. The
-- secret lives only here, inside the encrypted store; the public key is
-- registered with the server at login, and case keys are sealed to it.
CREATE TABLE person_keys (
  user_id    TEXT PRIMARY KEY,
  secret     BLOB NOT NULL,
  public     BLOB NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
