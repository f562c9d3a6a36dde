-- Waymark device store, version 3: assessments from versioned templates,
-- referrals, safeguarding flags and encrypted attachments.

CREATE TABLE assessment_templates (
    id           TEXT PRIMARY KEY,
    key          TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    name         TEXT NOT NULL,
    definition   TEXT NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER,
    UNIQUE (key, template_version)
);

CREATE TABLE assessments (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES persons(id),
    template_id       TEXT NOT NULL REFERENCES assessment_templates(id),
    template_key      TEXT NOT NULL,
    template_version  INTEGER NOT NULL,
    answers           TEXT NOT NULL,
    score             INTEGER NOT NULL,
    level             TEXT NOT NULL,
    prompts           TEXT NOT NULL,
    decisions         TEXT NOT NULL,
    completed_at      INTEGER NOT NULL,
    completed_by      TEXT NOT NULL,
    version           INTEGER NOT NULL,
    clocks            TEXT NOT NULL,
    removed_at        INTEGER
);
CREATE INDEX assessments_by_case ON assessments(case_id, completed_at);

CREATE TABLE referrals (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES persons(id),
    agency         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    status         TEXT NOT NULL,
    outcome        TEXT,
    made_on        TEXT NOT NULL,
    assessment_id  TEXT,
    version        INTEGER NOT NULL,
    clocks         TEXT NOT NULL,
    removed_at     INTEGER
);
CREATE INDEX referrals_by_case ON referrals(case_id, made_on);

CREATE TABLE flags (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    kind         TEXT NOT NULL,
    detail       TEXT,
    raised_at    INTEGER NOT NULL,
    raised_by    TEXT NOT NULL,
    resolved_at  INTEGER,
    resolved_by  TEXT,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX flags_by_case ON flags(case_id, resolved_at);

CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES persons(id),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL,
    added_at    INTEGER NOT NULL,
    added_by    TEXT NOT NULL,
    version     INTEGER NOT NULL,
    clocks      TEXT NOT NULL,
    removed_at  INTEGER
);
CREATE INDEX attachments_by_case ON attachments(case_id);

-- Contents apart from metadata, so listing a case never loads them.
CREATE TABLE attachment_blobs (
    attachment_id  TEXT PRIMARY KEY REFERENCES attachments(id),
    data           BLOB NOT NULL
);
