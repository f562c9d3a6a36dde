-- Certified teams, version 16: an admin's certificate names the team the
-- person works in, so a report can be run for one team's cases (those whose
-- keyworker the organisation certified in it).
ALTER TABLE certified_identities ADD COLUMN team TEXT;
