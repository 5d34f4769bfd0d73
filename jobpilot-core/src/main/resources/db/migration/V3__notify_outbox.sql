-- Completion notifications (--notify URL): the outbox. A row is written in the same transaction that finishes the
-- run, so a crash between finishing and sending loses nothing; any jobpilot process continues a PENDING row once it
-- is due and nobody holds it. Portable between H2 and PostgreSQL, like V1.

CREATE TABLE jp_notify_outbox (
    delivery_id      VARCHAR(160) PRIMARY KEY,      -- sent as Idempotency-Key: the runId (runId/2 for a second end)
    run_id           VARCHAR(128) NOT NULL REFERENCES jp_run (run_id),
    url              VARCHAR(2000) NOT NULL,
    body             VARCHAR       NOT NULL,        -- the RunResult JSON, byte for byte the same on every attempt
    state            VARCHAR(16)   NOT NULL,        -- PENDING, DELIVERED, DEAD
    attempts         INTEGER       NOT NULL,        -- attempts started so far, across restarts
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    first_attempt_at TIMESTAMP WITH TIME ZONE,      -- the give-up clock starts here
    last_attempt_at  TIMESTAMP WITH TIME ZONE,
    next_attempt_at  TIMESTAMP WITH TIME ZONE,      -- when a PENDING delivery is due
    claimed_by       VARCHAR(64),                   -- the process working on it...
    claimed_until    TIMESTAMP WITH TIME ZONE,      -- ...until then (a process that dies loses its claim)
    last_error       VARCHAR(2000),
    finished_at      TIMESTAMP WITH TIME ZONE       -- delivered or dead-lettered
);
CREATE INDEX jp_notify_outbox_due ON jp_notify_outbox (state, next_attempt_at);
CREATE INDEX jp_notify_outbox_run ON jp_notify_outbox (run_id, created_at);
