-- Sign-offs, version 19: a supervisor's record that a risk assessment, a
-- MARAC decision or a closure on a case was reviewed. Never changed or
-- removed; only a supervisor's or an admin's signed change is taken.
CREATE TABLE sign_offs (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES persons(id),
    subject     TEXT NOT NULL,
    subject_id  TEXT NOT NULL,
    comment     TEXT,
    signed_at   INTEGER NOT NULL,
    signed_by   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    clocks      TEXT NOT NULL,
    removed_at  INTEGER
);
CREATE INDEX sign_offs_by_case ON sign_offs(case_id, signed_at);
CREATE INDEX sign_offs_by_subject ON sign_offs(subject_id);
