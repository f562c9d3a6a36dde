-- People linked to a case, version 22: children, household members and the
-- other party in a domestic-abuse case (masked until an audited reveal).
CREATE TABLE linked_people (
    id                           TEXT PRIMARY KEY,
    case_id                      TEXT NOT NULL REFERENCES persons(id),
    relation                     TEXT NOT NULL,
    name                         TEXT NOT NULL,
    date_of_birth                TEXT,
    lives                        TEXT,
    known_to_childrens_services  INTEGER,
    details                      TEXT,
    own_case_id                  TEXT,
    added_at                     INTEGER NOT NULL,
    added_by                     TEXT NOT NULL,
    version                      INTEGER NOT NULL,
    clocks                       TEXT NOT NULL,
    removed_at                   INTEGER
);
CREATE INDEX linked_people_by_case ON linked_people(case_id, relation);
CREATE INDEX linked_people_by_own_case ON linked_people(own_case_id);
