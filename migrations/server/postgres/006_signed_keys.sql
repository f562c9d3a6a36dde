-- Signed sealed keys: the sealing person's identity and its signature over
-- each sealed key, relayed as sent. Devices keep a key only when a
-- confirmed identity signed it; the server does not check.
ALTER TABLE sealed_keys ADD COLUMN sender_identity BYTEA;
ALTER TABLE sealed_keys ADD COLUMN signature BYTEA;
