-- Search indexing once per pulled page, version 27. FTS5 writes its pending
-- terms out as a new index segment at every statement savepoint, so a note
-- indexed by its insert trigger costs a segment (and later merges) per
-- pulled note. While a page applies (`search_deferred` holds a row), a new
-- note or person is listed in `search_pending` instead, and the page's end
-- indexes every listed row from its final text in one statement, in the
-- same transaction. A listed row is not yet in the index, so updating or
-- deleting it must not take its old text out; the delete trigger checks and
-- forgets the listing in one body (the order triggers fire in is not defined).
CREATE TABLE search_deferred (page INTEGER NOT NULL);
CREATE TABLE search_pending (
    tbl  TEXT NOT NULL CHECK (tbl IN ('notes', 'persons')),
    row  INTEGER NOT NULL,
    PRIMARY KEY (tbl, row)
) WITHOUT ROWID;

DROP TRIGGER notes_fts_insert;
DROP TRIGGER notes_fts_update;
DROP TRIGGER notes_fts_delete;
DROP TRIGGER persons_fts_insert;
DROP TRIGGER persons_fts_update;
DROP TRIGGER persons_fts_delete;

CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, coalesce(new.amended_body, new.body));
END;
CREATE TRIGGER notes_fts_defer AFTER INSERT ON notes
WHEN EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT OR IGNORE INTO search_pending (tbl, row) VALUES ('notes', new.rowid);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF amended_body ON notes
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE tbl = 'notes' AND row = old.rowid) BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.rowid, coalesce(old.amended_body, old.body));
    INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, coalesce(new.amended_body, new.body));
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, text) SELECT 'delete', old.rowid, coalesce(old.amended_body, old.body)
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE tbl = 'notes' AND row = old.rowid);
    DELETE FROM search_pending WHERE tbl = 'notes' AND row = old.rowid;
END;

CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO persons_fts(rowid, full_name, preferred_name) VALUES (new.rowid, new.full_name, new.preferred_name);
END;
CREATE TRIGGER persons_fts_defer AFTER INSERT ON persons
WHEN EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT OR IGNORE INTO search_pending (tbl, row) VALUES ('persons', new.rowid);
END;
CREATE TRIGGER persons_fts_update AFTER UPDATE OF full_name, preferred_name ON persons
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE tbl = 'persons' AND row = old.rowid) BEGIN
    INSERT INTO persons_fts(persons_fts, rowid, full_name, preferred_name) VALUES ('delete', old.rowid, old.full_name, old.preferred_name);
    INSERT INTO persons_fts(rowid, full_name, preferred_name) VALUES (new.rowid, new.full_name, new.preferred_name);
END;
CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN
    INSERT INTO persons_fts(persons_fts, rowid, full_name, preferred_name) SELECT 'delete', old.rowid, old.full_name, old.preferred_name
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE tbl = 'persons' AND row = old.rowid);
    DELETE FROM search_pending WHERE tbl = 'persons' AND row = old.rowid;
END;
