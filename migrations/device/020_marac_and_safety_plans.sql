-- MARAC meetings and their actions, and safety plans, version 20.
CREATE TABLE marac_meetings (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES persons(id),
    referral_id  TEXT,
    meeting_on   TEXT NOT NULL,
    outcome      TEXT,
    recorded_at  INTEGER NOT NULL,
    recorded_by  TEXT NOT NULL,
    version      INTEGER NOT NULL,
    clocks       TEXT NOT NULL,
    removed_at   INTEGER
);
CREATE INDEX marac_meetings_by_case ON marac_meetings(case_id, meeting_on);

CREATE TABLE marac_actions (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES persons(id),
    meeting_id  TEXT NOT NULL,
    agency      TEXT NOT NULL,
    owner       TEXT NOT NULL,
    action      TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    done_on     TEXT,
    version     INTEGER NOT NULL,
    clocks      TEXT NOT NULL,
    removed_at  INTEGER
);
CREATE INDEX marac_actions_by_case ON marac_actions(case_id, due_on);

-- One per case: its id is derived from the case's (SafetyPlan::id_of).
CREATE TABLE safety_plans (
    id                  TEXT PRIMARY KEY,
    case_id             TEXT NOT NULL REFERENCES persons(id),
    safe_places         TEXT,
    trusted_people      TEXT,
    code_words          TEXT,
    escape_bag          TEXT,
    tech_safety         TEXT,
    child_arrangements  TEXT,
    review_on           TEXT NOT NULL,
    updated_at          INTEGER NOT NULL,
    updated_by          TEXT NOT NULL,
    version             INTEGER NOT NULL,
    clocks              TEXT NOT NULL,
    removed_at          INTEGER
);
CREATE INDEX safety_plans_by_case ON safety_plans(case_id);
