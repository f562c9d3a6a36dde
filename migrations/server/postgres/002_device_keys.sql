-- Each person's public X25519 key on each device (end-to-end encryption):
-- case keys are sealed to it. Registered at login; never changes for a
-- device and person (a new key means a new enrolment).
ALTER TABLE devices ADD COLUMN public_key BYTEA;
