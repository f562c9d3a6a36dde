-- Certification: the organisation's Ed25519 signing key (registered once by
-- an admin's device, pinned by devices when they join), admins'
-- certificates of people's identities, and the signature vouching for the
-- recovery key. The server stores and relays them; devices verify them and
-- seal case keys only to certified recipients.
ALTER TABLE orgs ADD COLUMN signing_key BYTEA;
ALTER TABLE orgs ADD COLUMN recovery_signer BYTEA;
ALTER TABLE orgs ADD COLUMN recovery_signature BYTEA;
CREATE TABLE certificates (
    org_id UUID NOT NULL REFERENCES orgs(id),
    identity_key BYTEA NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    signer_key BYTEA NOT NULL,
    signature BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, identity_key)
);
