-- Episodes in programmes, version 15: an episode names the organisation's
-- programme it belongs to and, for diversion, the disposal route; where it
-- has got to is an append-only record of dated stage moves.
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
