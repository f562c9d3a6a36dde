-- Certification, version 11: what each person's device trusts, worked out
-- here from what the server relays (never taken on its word).
-- The organisation's signing key, pinned the first time this person's
-- device saw it (a later different key is refused); its secret only on the
-- admin's device that made it. The recovery key, once its signature holds;
-- this person's own certified role (none: waiting for an admin to confirm).
CREATE TABLE org_trust (
  user_id      TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  org_key      BLOB NOT NULL,
  org_secret   BLOB,
  recovery_key BLOB,
  own_role     TEXT,
  pinned_at    INTEGER NOT NULL
) WITHOUT ROWID;
-- Identities whose certificate verified here, as of the last sync.
CREATE TABLE certified_identities (
  user_id      TEXT NOT NULL,
  identity_key BLOB NOT NULL,
  subject_id   TEXT NOT NULL,
  role         TEXT NOT NULL,
  PRIMARY KEY (user_id, identity_key)
) WITHOUT ROWID;
-- Recipients the server listed that failed the checks: never sealed to.
CREATE TABLE refused_recipients (
  user_id       TEXT NOT NULL,
  recipient_key BLOB NOT NULL,
  reason        TEXT NOT NULL,
  first_at      INTEGER NOT NULL,
  last_at       INTEGER NOT NULL,
  PRIMARY KEY (user_id, recipient_key)
) WITHOUT ROWID;
