-- Waymark server store (SQLite), version 1. Ids are UUID text; times are
-- INTEGER milliseconds UTC. Change bodies are opaque bytes: the server never
-- reads them.

CREATE TABLE orgs (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    -- Whether the organisation's admins may read and write every case.
    admins_see_cases  INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
);

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (org_id, name)
);

-- User names are unique on the server: they are what a person types to log in.
CREATE TABLE users (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    team_id      TEXT REFERENCES teams(id),
    name         TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('worker', 'supervisor', 'admin')),
    -- Argon2id hash (PHC string) of the key the device derives from the
    -- passphrase; the passphrase never reaches the server.
    auth_hash    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    disabled_at  INTEGER
);

-- One row per (device, user): a shared laptop logs in once per person.
-- Tokens are kept as SHA-256 hashes.
CREATE TABLE devices (
    id            TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users(id),
    label         TEXT NOT NULL,
    token_hash    BLOB NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    revoked_at    INTEGER,
    PRIMARY KEY (id, user_id)
);

-- A log: a case, or the organisation's own log (log_id = nil uuid). `head`
-- is its last seq; writers take the log's row to number changes, so seqs
-- are gap-free and commit in order.
CREATE TABLE logs (
    org_id        TEXT NOT NULL REFERENCES orgs(id),
    log_id        TEXT NOT NULL,
    team_id       TEXT,
    keyworker_id  TEXT,
    head          INTEGER NOT NULL DEFAULT 0,
    -- Hash chain over the change ids in order (waymark_protocol::next_tip):
    -- devices send the tip at their cursor, so a restored (older) log is
    -- told apart from the one they knew.
    tip           TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (org_id, log_id)
) WITHOUT ROWID;
CREATE INDEX logs_keyworker ON logs(keyworker_id);
CREATE INDEX logs_team ON logs(team_id);

CREATE TABLE log_shares (
    org_id   TEXT NOT NULL,
    log_id   TEXT NOT NULL,
    user_id  TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (org_id, log_id, user_id)
) WITHOUT ROWID;
CREATE INDEX log_shares_user ON log_shares(user_id);

CREATE TABLE changes (
    org_id       TEXT NOT NULL,
    log_id       TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    change_id    TEXT NOT NULL UNIQUE,
    tip          TEXT NOT NULL,
    clock_ms     INTEGER NOT NULL,
    device_id    TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    body         BLOB NOT NULL
);
CREATE UNIQUE INDEX changes_by_log ON changes(org_id, log_id, seq);

-- Attachment contents: opaque blobs per case, uploaded in chunks (resumable:
-- a chunk is accepted only at the offset received so far), served only once
-- complete.
CREATE TABLE blobs (
    org_id      TEXT NOT NULL,
    log_id      TEXT NOT NULL,
    blob_id     TEXT NOT NULL,
    size        INTEGER NOT NULL,
    received    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (org_id, log_id, blob_id)
) WITHOUT ROWID;

CREATE TABLE blob_chunks (
    org_id   TEXT NOT NULL,
    log_id   TEXT NOT NULL,
    blob_id  TEXT NOT NULL,
    offset   INTEGER NOT NULL,
    data     BLOB NOT NULL,
    PRIMARY KEY (org_id, log_id, blob_id, offset)
);

-- How far each device has read each log (from the cursors its pulls send).
-- The minimum over a log's member devices is the log's horizon: devices
-- purge a tombstone once the horizon has passed it.
CREATE TABLE device_positions (
    device_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    log_id     TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (device_id, user_id, log_id)
) WITHOUT ROWID;
CREATE INDEX device_positions_by_log ON device_positions(log_id);
