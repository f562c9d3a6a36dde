-- Identities: each person's Ed25519 identity key on each device, and its
-- signature over their X25519 key there. Registered at login with the key;
-- never changes for a device and person. The server stores and relays them
-- only: devices verify them, and (once an admin certifies an identity) trust
-- a recipient only through them.
ALTER TABLE devices ADD COLUMN identity_key BYTEA;
ALTER TABLE devices ADD COLUMN key_signature BYTEA;
