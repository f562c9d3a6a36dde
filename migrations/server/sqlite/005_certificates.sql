-- Certification: the organisation's Ed25519 signing key (registered once by
-- an admin's device, pinned by devices when they join), admins'
-- certificates of people's identities, and the signature vouching for the
-- recovery key. The server stores and relays them; devices verify them and
-- seal case keys only to certified recipients.
ALTER TABLE orgs ADD COLUMN signing_key BLOB;
ALTER TABLE orgs ADD COLUMN recovery_signer BLOB;
ALTER TABLE orgs ADD COLUMN recovery_signature BLOB;
CREATE TABLE certificates (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    identity_key BLOB NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    signer_key BLOB NOT NULL,
    signature BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, identity_key)
);
