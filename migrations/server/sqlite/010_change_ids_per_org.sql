-- Change ids are unique within an organisation, like log and device ids:
-- another organisation pushing an id already used here is not told it
-- exists. SQLite cannot drop a column's UNIQUE, so the table is rebuilt.
CREATE TABLE changes_by_org (
    org_id       TEXT NOT NULL,
    log_id       TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    change_id    TEXT NOT NULL,
    tip          TEXT NOT NULL,
    clock_ms     INTEGER NOT NULL,
    device_id    TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    body         BLOB NOT NULL,
    UNIQUE (org_id, change_id)
);
INSERT INTO changes_by_org (org_id, log_id, seq, change_id, tip, clock_ms, device_id, received_at, body)
    SELECT org_id, log_id, seq, change_id, tip, clock_ms, device_id, received_at, body FROM changes;
DROP TABLE changes;
ALTER TABLE changes_by_org RENAME TO changes;
CREATE UNIQUE INDEX changes_by_log ON changes(org_id, log_id, seq);
