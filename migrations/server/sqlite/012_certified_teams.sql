-- A certificate names the person's team as the admin signed it: kept with
-- the certificate, since a person may later move team (then an admin
-- certifies them again).
ALTER TABLE certificates ADD COLUMN team TEXT;
