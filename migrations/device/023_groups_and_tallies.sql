-- Group sessions, attendance and outreach tallies, version 23. A session
-- is a log of its own (its id); attendance is on each attendee's case; a
-- tally travels in its writer's tally log for the month (`log_id`).
CREATE TABLE group_sessions (
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    programme     TEXT,
    place         TEXT NOT NULL,
    held_on       TEXT NOT NULL,
    facilitators  TEXT NOT NULL,
    note          TEXT,
    recorded_at   INTEGER NOT NULL,
    recorded_by   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    clocks        TEXT NOT NULL,
    removed_at    INTEGER
);
CREATE INDEX group_sessions_by_day ON group_sessions(held_on);

CREATE TABLE attendance (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    session_id   TEXT NOT NULL,
    title        TEXT NOT NULL,
    held_on      TEXT NOT NULL,
    attended     INTEGER NOT NULL,
    recorded_at  INTEGER NOT NULL,
    recorded_by  TEXT NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX attendance_by_case ON attendance(case_id, held_on);
CREATE INDEX attendance_by_session ON attendance(session_id);

CREATE TABLE outreach_tallies (
    id           TEXT PRIMARY KEY,
    log_id       TEXT NOT NULL,
    counted_on   TEXT NOT NULL,
    site         TEXT NOT NULL,
    count        INTEGER NOT NULL,
    help         TEXT NOT NULL,
    note         TEXT,
    team         TEXT,
    recorded_at  INTEGER NOT NULL,
    recorded_by  TEXT NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX outreach_tallies_by_day ON outreach_tallies(counted_on);
CREATE INDEX outreach_tallies_by_log ON outreach_tallies(log_id);
