-- Waymark device store, version 5: each person's link to a sync server,
-- cursor tips, acknowledged changes kept for re-pushing, attachment blob sync,
-- tombstones and their purge.
-- The device token lives only here, inside the encrypted store.
CREATE TABLE sync_accounts (
    user_id       TEXT PRIMARY KEY REFERENCES users(id),
    server_url    TEXT NOT NULL,
    server_user   TEXT NOT NULL,
    server_user_id TEXT NOT NULL,
    org_id        TEXT NOT NULL,
    role          TEXT NOT NULL,
    token         TEXT NOT NULL,
    logged_in_at  INTEGER NOT NULL,
    -- The last successful sync, for "last synced" in the UI.
    synced_at     INTEGER
);

-- Each cursor's tip: the hash chain over the log's change ids up to the
-- cursor (waymark_protocol::next_tip). The server compares it with its own
-- log, so a server restored from an older backup is noticed, not trusted.
ALTER TABLE sync_cursors ADD COLUMN tip TEXT NOT NULL DEFAULT '00000000000000000000000000000000';

-- Changes the server acknowledged, kept for a while: if the server is
-- restored from an older backup they go back to the outbox and are pushed
-- again (the server stores a change id once, so nothing doubles).
CREATE TABLE pushed (
    change_id       TEXT PRIMARY KEY,
    clock           TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    case_id         TEXT,
    payload         TEXT NOT NULL,
    acked_at        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX pushed_by_case ON pushed(case_id);
CREATE INDEX pushed_by_age ON pushed(acked_at);

-- Attachment contents sync apart from changes, as blobs in chunks.
-- `uploaded`: how many bytes of this contents the server has confirmed.
ALTER TABLE attachment_blobs ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0;
-- Contents being fetched from the server (resumable): the bytes so far.
CREATE TABLE attachment_downloads (
    attachment_id  TEXT PRIMARY KEY,
    data           BLOB NOT NULL
) WITHOUT ROWID;

-- Removals whose place in the server's log is known. Once the log's horizon
-- (how far every device that reads it has read) passes one, the record's row
-- is purged.
CREATE TABLE tombstones (
    record_id  TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    log_id     TEXT NOT NULL,
    seq        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX tombstones_by_log ON tombstones(log_id, seq);

-- What is left of a purged record: its id, so that no late or replayed
-- change can bring it back.
CREATE TABLE purged_records (
    record_id  TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    purged_at  INTEGER NOT NULL
) WITHOUT ROWID;
