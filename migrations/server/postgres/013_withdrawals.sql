-- When a person lost a case (it was unshared from them, or given to another
-- keyworker): what their devices wrote there offline, before they knew, is
-- still taken for a while (rules::late_write_allowed). Sharing it with them
-- again clears it; erasing the case drops it.
CREATE TABLE withdrawals (
    org_id        UUID NOT NULL,
    log_id        UUID NOT NULL,
    user_id       UUID NOT NULL REFERENCES users(id),
    withdrawn_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, log_id, user_id)
);
