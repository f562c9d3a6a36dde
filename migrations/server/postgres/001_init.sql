-- Waymark server store (PostgreSQL), version 1. The same tables as the SQLite
-- store (see ../sqlite/001_init.sql for what each holds), in PostgreSQL types.

CREATE TABLE orgs (
    id                UUID PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    admins_see_cases  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        BIGINT NOT NULL
);

CREATE TABLE teams (
    id          UUID PRIMARY KEY,
    org_id      UUID NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE users (
    id           UUID PRIMARY KEY,
    org_id       UUID NOT NULL REFERENCES orgs(id),
    team_id      UUID REFERENCES teams(id),
    name         TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('worker', 'supervisor', 'admin')),
    auth_hash    TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    disabled_at  BIGINT
);

CREATE TABLE devices (
    id            UUID NOT NULL,
    user_id       UUID NOT NULL REFERENCES users(id),
    label         TEXT NOT NULL,
    token_hash    BYTEA NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    revoked_at    BIGINT,
    PRIMARY KEY (id, user_id)
);

CREATE TABLE logs (
    org_id        UUID NOT NULL REFERENCES orgs(id),
    log_id        UUID NOT NULL,
    team_id       UUID,
    keyworker_id  UUID,
    head          BIGINT NOT NULL DEFAULT 0,
    tip           TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (org_id, log_id)
);
CREATE INDEX logs_keyworker ON logs(keyworker_id);
CREATE INDEX logs_team ON logs(team_id);

CREATE TABLE log_shares (
    org_id   UUID NOT NULL,
    log_id   UUID NOT NULL,
    user_id  UUID NOT NULL REFERENCES users(id),
    PRIMARY KEY (org_id, log_id, user_id)
);
CREATE INDEX log_shares_user ON log_shares(user_id);

CREATE TABLE changes (
    org_id       UUID NOT NULL,
    log_id       UUID NOT NULL,
    seq          BIGINT NOT NULL,
    change_id    UUID NOT NULL UNIQUE,
    tip          TEXT NOT NULL,
    clock_ms     BIGINT NOT NULL,
    device_id    UUID NOT NULL,
    received_at  BIGINT NOT NULL,
    body         BYTEA NOT NULL,
    PRIMARY KEY (org_id, log_id, seq)
);

CREATE TABLE blobs (
    org_id      UUID NOT NULL,
    log_id      UUID NOT NULL,
    blob_id     UUID NOT NULL,
    size        BIGINT NOT NULL,
    received    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, log_id, blob_id)
);

CREATE TABLE blob_chunks (
    org_id   UUID NOT NULL,
    log_id   UUID NOT NULL,
    blob_id  UUID NOT NULL,
    "offset" BIGINT NOT NULL,
    data     BYTEA NOT NULL,
    PRIMARY KEY (org_id, log_id, blob_id, "offset")
);

CREATE TABLE device_positions (
    device_id  UUID NOT NULL,
    user_id    UUID NOT NULL,
    log_id     UUID NOT NULL,
    seq        BIGINT NOT NULL,
    PRIMARY KEY (device_id, user_id, log_id)
);
CREATE INDEX device_positions_by_log ON device_positions(log_id);
