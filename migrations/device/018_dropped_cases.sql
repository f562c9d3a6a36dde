-- Cases this device dropped (erased, or withdrawn from its person) and may
-- hold again (shared back): its own changes there, pulled again from the
-- log's start, are applied rather than skipped as already here. Cleared
-- once the log is read up to its head with nothing waiting for a key.
CREATE TABLE dropped_cases (
    case_id     TEXT PRIMARY KEY,
    dropped_at  INTEGER NOT NULL
) WITHOUT ROWID;
