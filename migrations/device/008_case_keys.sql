-- End-to-end encryption, version 8: case keys and what waits for them.
-- Each case's keys by epoch (the epoch rises when a member is removed). Only
-- here, inside the encrypted store: the server holds them sealed.
CREATE TABLE case_keys (
  case_id     TEXT NOT NULL,
  epoch       INTEGER NOT NULL,
  key         BLOB NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, epoch)
) WITHOUT ROWID;

-- Pulled changes whose case key has not arrived yet: kept as they came
-- (encrypted) and applied in log order once it does. A log with changes
-- waiting holds its later ones too, so order is kept.
CREATE TABLE awaiting_key (
  log_id     TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  change_id  TEXT NOT NULL,
  body       BLOB NOT NULL,
  PRIMARY KEY (log_id, seq)
) WITHOUT ROWID;

-- Pulled changes refused on arrival (failed authentication, not encrypted,
-- unreadable): never applied, kept for the report (no contents).
CREATE TABLE refused_changes (
  log_id      TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  change_id   TEXT NOT NULL,
  reason      TEXT NOT NULL,
  refused_at  INTEGER NOT NULL,
  PRIMARY KEY (log_id, seq)
) WITHOUT ROWID;

-- How far each person has read the case keys sealed to them on the server.
CREATE TABLE key_cursors (
  user_id  TEXT PRIMARY KEY,
  after    INTEGER NOT NULL
) WITHOUT ROWID;

-- An attachment's contents as they go to the server: encrypted under the
-- case key once, when its upload starts, so a resumed upload sends the same
-- bytes; dropped when the server holds them all.
ALTER TABLE attachment_blobs ADD COLUMN sealed BLOB;

-- Erasure deletes a case's notes and person row (until now nothing was ever
-- deleted): take their words out of the search indexes too.
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.rowid, coalesce(old.amended_body, old.body));
END;
CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN
    INSERT INTO persons_fts(persons_fts, rowid, full_name, preferred_name) VALUES ('delete', old.rowid, old.full_name, old.preferred_name);
END;
