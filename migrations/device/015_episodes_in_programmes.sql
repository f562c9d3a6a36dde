-- Episodes in programmes, version 15: an episode names the organisation's
-- programme it belongs to and, for diversion, the disposal route; where it
-- has got to is an append-only record of dated stage moves; a diversion's
-- conditions each have a due date and a status; follow-ups after closure
-- record whether a further offence is known. Outcomes over time: dated
-- status records per area, ratings of the programme's outcome areas,
-- practical support given, feedback at closure, and equality monitoring
-- (one record per case).
ALTER TABLE episodes ADD COLUMN programme_id TEXT;
ALTER TABLE episodes ADD COLUMN route TEXT;

CREATE TABLE stage_moves (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    episode_id   TEXT NOT NULL,
    stage        TEXT NOT NULL,
    moved_on     TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX stage_moves_by_episode ON stage_moves(episode_id, moved_on);
CREATE INDEX stage_moves_by_case ON stage_moves(case_id);

CREATE TABLE conditions (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    episode_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    detail       TEXT,
    due_on       TEXT NOT NULL,
    status       TEXT NOT NULL,
    status_on    TEXT,
    note         TEXT,
    set_at       INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX conditions_by_episode ON conditions(episode_id, due_on);
CREATE INDEX conditions_by_case ON conditions(case_id);

CREATE TABLE follow_ups (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    episode_id   TEXT NOT NULL,
    months       INTEGER NOT NULL,
    result       TEXT NOT NULL,
    offence_on   TEXT,
    offence      TEXT,
    checked_on   TEXT NOT NULL,
    recorded_at  INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX follow_ups_by_case ON follow_ups(case_id);

CREATE TABLE status_records (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    area         TEXT NOT NULL,
    value        TEXT NOT NULL,
    point        TEXT NOT NULL,
    recorded_on  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX status_records_by_case ON status_records(case_id, area, recorded_on);

CREATE TABLE area_ratings (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    episode_id   TEXT NOT NULL,
    area         TEXT NOT NULL,
    rating       INTEGER NOT NULL,
    rated_on     TEXT NOT NULL,
    rated_by     TEXT NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX area_ratings_by_case ON area_ratings(case_id, area, rated_on);

CREATE TABLE support_given (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    kind         TEXT NOT NULL,
    given_on     TEXT NOT NULL,
    amount_pence INTEGER,
    note         TEXT,
    given_by     TEXT NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX support_given_by_case ON support_given(case_id, given_on);

CREATE TABLE feedback (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    episode_id   TEXT NOT NULL,
    satisfaction INTEGER,
    words        TEXT,
    given_on     TEXT NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX feedback_by_case ON feedback(case_id);

CREATE TABLE equality (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    ethnicity          TEXT,
    sex                TEXT,
    gender_identity    TEXT,
    sexual_orientation TEXT,
    disability         TEXT,
    religion           TEXT,
    care_experience    TEXT,
    first_language     TEXT,
    interpreter        TEXT,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX equality_by_case ON equality(case_id);
