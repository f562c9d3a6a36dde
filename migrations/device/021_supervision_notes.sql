-- Supervision notes, version 21: a supervisor's note on a case. They travel
-- in the case's supervision log (read by its keyworker and its team's
-- supervisors only), so one can arrive before the case itself: no
-- reference to persons. Never changed or removed.
CREATE TABLE supervision_notes (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    discussion  TEXT NOT NULL,
    decision    TEXT,
    actions     TEXT NOT NULL,
    written_at  INTEGER NOT NULL,
    written_by  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    clocks      TEXT NOT NULL,
    removed_at  INTEGER
);
CREATE INDEX supervision_notes_by_case ON supervision_notes(case_id, held_on);
