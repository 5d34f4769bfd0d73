-- IICS callback intake (iics-job -p callback=true). Portable between H2 and PostgreSQL, like V1-V3.

-- Each callback run's token, stored only as its SHA-256 (hex): the token itself (in the callbackURL sent to IICS) is
-- never stored, logged or derivable from the runId. A callback's token is looked up by its hash.
CREATE TABLE jp_callback_token (
    token_hash  VARCHAR(64)  PRIMARY KEY,
    run_id      VARCHAR(128) NOT NULL REFERENCES jp_run (run_id),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX jp_callback_token_run ON jp_callback_token (run_id);

-- One row per distinct callback: IICS retries for 30 minutes, so duplicates are answered 200 and processed once,
-- across restarts and nodes (the primary key decides which insert was first).
CREATE TABLE jp_callback_receipt (
    token_hash    VARCHAR(64)  NOT NULL REFERENCES jp_callback_token (token_hash),
    object_id     VARCHAR(200) NOT NULL,        -- the task id IICS sends
    remote_run_id VARCHAR(64)  NOT NULL,        -- IICS's runId (counts per task)
    status        VARCHAR(32)  NOT NULL,        -- COMPLETED or FAILED: a hint only, confirmed through the activity log
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (token_hash, object_id, remote_run_id, status)
);
