-- Reads at full scale, version 28. Local only: no record's shape changes,
-- so changes still carry version 27 (`db::LOCAL_ONLY_MIGRATIONS`) and a
-- device a release behind applies what this one writes.

-- The caseload reads every case's name in id order, beside case_summary's
-- rows in the same order: from this narrow index rather than the wide
-- person rows (a tenth of the pages at 10,000 cases).
CREATE INDEX persons_for_caseload ON persons(id, full_name, preferred_name, removed_at)
    WHERE removed_at IS NULL;

-- Search as you type sends a word's first letter or two: without indexes of
-- those prefixes FTS5 merges the lists of every word they begin (0.15 s for
-- "s" over a million notes). The index is built anew from the notes, once.
DROP TABLE notes_fts;
CREATE VIRTUAL TABLE notes_fts USING fts5(
    text, content='notes_search', content_rowid='note_rowid', detail='column', columnsize=0,
    tokenize='unicode61 remove_diacritics 2', prefix='1 2'
);
INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');
-- Every note is in the index now, including any a pulled page listed.
DELETE FROM search_pending;
DELETE FROM search_deferred;

-- The caseload's next appointment per case: the open ones, in case order,
-- every column the query reads (the time index alone looked each one up).
CREATE INDEX appointments_open ON appointments(case_id, starts_at, outcome, removed_at)
    WHERE outcome IS NULL AND removed_at IS NULL;
