-- Device-local state of each person: never synced, never in the outbox.
-- It lives in the encrypted store, so a draft is as protected as a note.

-- One draft per person, case and kind of writing (a note, for now).
CREATE TABLE drafts (
  user_id  TEXT NOT NULL,
  case_id  TEXT NOT NULL,
  kind     TEXT NOT NULL,
  content  TEXT NOT NULL,   -- JSON of what the form held
  saved_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, case_id, kind)
) WITHOUT ROWID;

-- Per-person preferences (lock timeout, language).
CREATE TABLE user_settings (
  user_id TEXT NOT NULL,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- Appointment reminders already shown on this device, so each shows once.
CREATE TABLE reminders_shown (
  appointment_id TEXT PRIMARY KEY,
  shown_at       INTEGER NOT NULL
) WITHOUT ROWID;
