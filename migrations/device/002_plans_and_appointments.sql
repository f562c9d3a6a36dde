-- Waymark device store, version 2: support plans and appointments.

CREATE TABLE goals (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    need_area    TEXT NOT NULL,
    description  TEXT NOT NULL,
    review_on    TEXT,
    status       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX goals_by_case ON goals(case_id);

CREATE TABLE plan_actions (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    goal_id      TEXT NOT NULL REFERENCES goals(id),
    description  TEXT NOT NULL,
    owner        TEXT NOT NULL,
    due_on       TEXT,
    done_on      TEXT,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX plan_actions_by_goal ON plan_actions(goal_id);

CREATE TABLE outcome_ratings (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES persons(id),
    goal_id    TEXT NOT NULL REFERENCES goals(id),
    rating     INTEGER NOT NULL,
    rated_on   TEXT NOT NULL,
    comment    TEXT,
    rated_by   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    clocks     TEXT NOT NULL,
    removed_at INTEGER
);
CREATE INDEX ratings_by_goal ON outcome_ratings(goal_id, rated_on);

CREATE TABLE appointments (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES persons(id),
    starts_at         INTEGER NOT NULL,
    ends_at           INTEGER NOT NULL,
    place             TEXT,
    agency            TEXT NOT NULL,
    with_whom         TEXT,
    reminder_minutes  INTEGER,
    accompany         INTEGER NOT NULL DEFAULT 0,
    outcome           TEXT,
    outcome_note      TEXT,
    version           INTEGER NOT NULL,
    clocks            TEXT NOT NULL,
    removed_at        INTEGER
);
CREATE INDEX appointments_by_case ON appointments(case_id, starts_at);
CREATE INDEX appointments_by_time ON appointments(starts_at);
