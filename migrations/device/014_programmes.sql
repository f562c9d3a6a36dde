-- Programmes, version 14: organisation data (admin-signed, in the
-- organisation's log) that episodes belong to, and that reports group by.
CREATE TABLE programmes (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    planned_weeks     INTEGER,
    outcome_areas     TEXT NOT NULL,
    follow_up_months  TEXT NOT NULL,
    retired           INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL,
    clocks            TEXT NOT NULL,
    removed_at        INTEGER
);
