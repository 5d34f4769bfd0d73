-- Who follows a run, in parts a process can read back: a second `jobpilot run --run-id X` or `resume X` names the
-- owner (host, process id, since when), and takes the run over at once when that process is gone from this host.
-- `owner` (V2) stays the owner's unique token (host/pid/uuid8): leases are renewed and checked by it. Portable between
-- H2 and PostgreSQL, like V1-V4.
ALTER TABLE jp_run ADD COLUMN owner_node VARCHAR(200);                   -- a serve node's identity (jobpilot.server.node-id)
ALTER TABLE jp_run ADD COLUMN owner_host VARCHAR(255);
ALTER TABLE jp_run ADD COLUMN owner_pid BIGINT;
ALTER TABLE jp_run ADD COLUMN owner_started TIMESTAMP WITH TIME ZONE;    -- the owner process's start: tells a reused pid
ALTER TABLE jp_run ADD COLUMN owner_pid_ns VARCHAR(64);                   -- its pid namespace (containers sharing a host name)
ALTER TABLE jp_run ADD COLUMN owned_since TIMESTAMP WITH TIME ZONE;
CREATE INDEX jp_run_owner ON jp_run (owner, outcome);
