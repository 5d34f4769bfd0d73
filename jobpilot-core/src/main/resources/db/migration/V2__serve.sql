-- Serve mode: where a run came from, which node follows it (a lease, renewed while it runs, so another node can adopt
-- it when its node dies), and the schedule fire that started it.
ALTER TABLE jp_run ADD COLUMN origin VARCHAR(16) DEFAULT 'cli' NOT NULL;       -- cli | api | schedule | embedded
ALTER TABLE jp_run ADD COLUMN schedule_name VARCHAR(200);
ALTER TABLE jp_run ADD COLUMN owner VARCHAR(200);
ALTER TABLE jp_run ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX jp_run_unfinished ON jp_run (outcome, origin, lease_until);
CREATE INDEX jp_run_schedule ON jp_run (schedule_name, outcome);

-- One row per schedule fire: the key makes one fire start at most one run, across restarts and nodes.
CREATE TABLE jp_schedule_fire (
    schedule_name VARCHAR(200) NOT NULL,
    fire_time     TIMESTAMP WITH TIME ZONE NOT NULL,
    decision      VARCHAR(32) NOT NULL,        -- STARTED | SKIPPED_OVERLAP
    run_id        VARCHAR(128),
    detail        VARCHAR(1000),
    recorded_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (schedule_name, fire_time)
);
