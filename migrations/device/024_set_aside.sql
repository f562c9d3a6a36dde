-- Set aside, version 24: changes this person made in a case taken from
-- them longer ago than the server takes a late write. Nothing is lost:
-- they stay here, readable by this person alone (`waymark set-aside`), to
-- pass on by another route; they are never sent, and dropping the case
-- does not drop them.
CREATE TABLE set_aside (
    change_id      TEXT PRIMARY KEY,
    clock          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    case_id        TEXT,
    payload        TEXT NOT NULL,
    set_aside_at   INTEGER NOT NULL
);
