-- Incidents, version 17: domestic-abuse incidents on a case (the header's
-- twelve-month count), each police call-out that meets the escalation
-- criterion carrying the MARAC referral it prompts and its decision.
CREATE TABLE incidents (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES persons(id),
    occurred_on      TEXT NOT NULL,
    kind             TEXT NOT NULL,
    police_called    INTEGER NOT NULL,
    injuries         INTEGER NOT NULL,
    children_present INTEGER NOT NULL,
    detail           TEXT,
    escalation       TEXT,
    recorded_at      INTEGER NOT NULL,
    recorded_by      TEXT NOT NULL,
    version          INTEGER NOT NULL,
    clocks           TEXT NOT NULL,
    removed_at       INTEGER
);
CREATE INDEX incidents_by_case ON incidents(case_id, occurred_on);
