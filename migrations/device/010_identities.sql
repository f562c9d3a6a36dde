-- Identities, version 10: each person's Ed25519 identity key pair on this
-- device. The secret lives only here, inside the encrypted store; the public
-- key is registered with the server at login, with its signature over the
-- person's X25519 key, and people compare it by its fingerprint phrase.
CREATE TABLE identity_keys (
  user_id    TEXT PRIMARY KEY,
  secret     BLOB NOT NULL,
  public     BLOB NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
