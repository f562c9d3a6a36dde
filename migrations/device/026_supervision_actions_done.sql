-- Supervision actions done, version 26: that an action agreed in a
-- supervision note was done, by whom, on which day. In the case's
-- supervision log with the note; never changed or removed.
CREATE TABLE supervision_actions_done (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL,
    note_id       TEXT NOT NULL,
    action_index  INTEGER NOT NULL,
    done_on       TEXT NOT NULL,
    done_at       INTEGER NOT NULL,
    done_by       TEXT NOT NULL,
    version       INTEGER NOT NULL,
    clocks        TEXT NOT NULL,
    removed_at    INTEGER
);
CREATE INDEX supervision_actions_done_by_note ON supervision_actions_done(note_id);
