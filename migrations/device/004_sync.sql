-- Waymark device store, version 4: per-log cursors, field heads, conflicts
-- kept for a person to settle, and changes from a newer schema kept until
-- this device is upgraded.

-- How far this device has applied each server log (a case, or the
-- organisation's log of shared records). Saved in the same transaction as
-- the changes it covers.
CREATE TABLE sync_cursors (
    log_id  TEXT PRIMARY KEY,
    cursor  INTEGER NOT NULL
) WITHOUT ROWID;

-- The other heads of a field: versions no later change has superseded,
-- besides the one the record shows (the highest stamp). The set of heads is
-- the same on every device whatever order changes arrived in.
CREATE TABLE shadow_heads (
    record_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    stamp      TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (record_id, field, stamp)
) WITHOUT ROWID;

-- A shadow head whose value differs from the shown one is a conflict for a
-- person to settle. The id is derived from (record, field, shadow stamp): the
-- same on every device. It is resolved when a change supersedes that head.
CREATE TABLE conflicts (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    case_id       TEXT,
    field         TEXT NOT NULL,
    kept_value    TEXT NOT NULL,
    kept_clock    TEXT NOT NULL,
    lost_value    TEXT NOT NULL,
    lost_clock    TEXT NOT NULL,
    detected_at   INTEGER NOT NULL,
    resolved_at   INTEGER
) WITHOUT ROWID;
CREATE INDEX conflicts_open ON conflicts(resolved_at, detected_at);

-- Changes written by a newer schema than this build knows: kept, unapplied,
-- and applied in order once the device is upgraded.
CREATE TABLE pending_remote (
    log_id          TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    schema_version  INTEGER NOT NULL,
    change          TEXT NOT NULL,
    PRIMARY KEY (log_id, seq)
) WITHOUT ROWID;
