-- Waymark device store, version 5: each person's link to a sync server.
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
