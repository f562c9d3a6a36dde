-- Waymark device store, version 1: the device, its people, cases, episodes,
-- notes, the outbox of changes, the audit trail and search.
-- Times are INTEGER milliseconds since the Unix epoch, UTC. Dates are TEXT 'YYYY-MM-DD'.
-- Every synced record table carries: version (writes so far), clocks (JSON map
-- field -> hybrid logical clock stamp of its last write) and removed_at (tombstone).

CREATE TABLE device (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id   TEXT NOT NULL,
    store_id    TEXT NOT NULL,
    last_clock  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    removed_at  INTEGER
);

CREATE TABLE persons (
    id                  TEXT PRIMARY KEY,  -- the case id
    full_name           TEXT NOT NULL,
    preferred_name      TEXT,
    date_of_birth       TEXT,
    pronouns            TEXT,
    phone               TEXT,
    email               TEXT,
    safe_contact        TEXT NOT NULL,
    address             TEXT,
    address_restricted  INTEGER NOT NULL DEFAULT 0,
    needs               TEXT NOT NULL,
    consents            TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    created_by          TEXT NOT NULL,
    version             INTEGER NOT NULL,
    clocks              TEXT NOT NULL,
    removed_at          INTEGER
);

CREATE TABLE episodes (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES persons(id),
    referral_source  TEXT NOT NULL,
    programme        TEXT NOT NULL,
    keyworker        TEXT NOT NULL,
    status           TEXT NOT NULL,
    opened_on        TEXT NOT NULL,
    closed_on        TEXT,
    closure_reason   TEXT,
    version          INTEGER NOT NULL,
    clocks           TEXT NOT NULL,
    removed_at       INTEGER
);
CREATE INDEX episodes_by_case ON episodes(case_id, opened_on);

CREATE TABLE notes (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES persons(id),
    author            TEXT NOT NULL,
    occurred_at       INTEGER NOT NULL,
    contact_type      TEXT NOT NULL,
    duration_minutes  INTEGER,
    location          TEXT,
    body              TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    -- Local, derived: the text of the latest amendment, NULL if never amended.
    amended_body      TEXT,
    version           INTEGER NOT NULL,
    clocks            TEXT NOT NULL,
    removed_at        INTEGER
);
CREATE INDEX notes_by_case ON notes(case_id, occurred_at);

CREATE TABLE note_amendments (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    note_id      TEXT NOT NULL REFERENCES notes(id),
    body         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    author       TEXT NOT NULL,
    amended_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX amendments_by_note ON note_amendments(note_id, amended_at);

-- Local, derived figures per case for the caseload list; rebuilt from the
-- records after every write that touches the case.
CREATE TABLE case_summary (
    case_id          TEXT PRIMARY KEY REFERENCES persons(id),
    last_contact_at  INTEGER,
    open_flags       INTEGER NOT NULL DEFAULT 0,
    risk_level       TEXT,
    next_review_on   TEXT,
    keyworker        TEXT,
    status           TEXT
) WITHOUT ROWID;

-- Field-level changes waiting to be pushed, appended in the same transaction
-- as the write they describe. seq orders the entries; change_id is a fresh
-- UUIDv7, unindexed: an acknowledgement names both, so a seq reused after the
-- outbox drained can never remove the wrong entry. The newest row's clock is
-- the device's last issued stamp; device.last_clock keeps it when it drains.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY,
    change_id       TEXT NOT NULL,
    clock           TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    case_id         TEXT,
    payload         TEXT NOT NULL
);

-- Append-only: rows are never deleted, so seq only grows.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    user_id    TEXT NOT NULL,
    action     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    record_id  TEXT,
    case_id    TEXT
);
CREATE INDEX audit_by_case ON audit_log(case_id, at);

-- Full-text search over note text and names. External content: the text lives
-- once, in the record tables; triggers keep the index in step. Results are
-- ordered by recency, never by rank, so no column sizes are kept
-- (columnsize=0) and positions only per column (detail=column): fewer pages
-- written per note, and every page written is a page encrypted.
-- A note's current text: its latest amendment, else what was first written.
CREATE VIEW notes_search AS
    SELECT rowid AS note_rowid, coalesce(amended_body, body) AS text FROM notes;
CREATE VIRTUAL TABLE notes_fts USING fts5(
    text, content='notes_search', content_rowid='note_rowid', detail='column', columnsize=0,
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, coalesce(new.amended_body, new.body));
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF amended_body ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.rowid, coalesce(old.amended_body, old.body));
    INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, coalesce(new.amended_body, new.body));
END;

CREATE VIRTUAL TABLE persons_fts USING fts5(
    full_name, preferred_name, content='persons', content_rowid='rowid', detail='column',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN
    INSERT INTO persons_fts(rowid, full_name, preferred_name) VALUES (new.rowid, new.full_name, new.preferred_name);
END;
CREATE TRIGGER persons_fts_update AFTER UPDATE OF full_name, preferred_name ON persons BEGIN
    INSERT INTO persons_fts(persons_fts, rowid, full_name, preferred_name) VALUES ('delete', old.rowid, old.full_name, old.preferred_name);
    INSERT INTO persons_fts(rowid, full_name, preferred_name) VALUES (new.rowid, new.full_name, new.preferred_name);
END;
