-- Enrolment codes: an administrator adds a person with a one-time
-- code, never a passphrase; the person chooses their own passphrase with it.
-- `credential` says whose the stored login key is:
--   'admin-set' an administrator's, from before codes (salted with the name
--               alone): the person must change it at their first login;
--   'none'      no passphrase yet: the person has not joined;
--   'own'       the person's own (salted with organisation and name).
ALTER TABLE users ADD COLUMN credential TEXT NOT NULL DEFAULT 'admin-set';
-- SHA-256 of the outstanding code (it carries 100 random bits), and when it
-- stops working; both cleared when it is used.
ALTER TABLE users ADD COLUMN enrolment_code_hash BYTEA;
ALTER TABLE users ADD COLUMN enrolment_code_expires_at BIGINT;

-- Random values the server makes once and keeps (the salt for names it does
-- not know, so its answers tell no one who has an account).
CREATE TABLE server_secrets (
    name   TEXT PRIMARY KEY,
    value  BYTEA NOT NULL
);
