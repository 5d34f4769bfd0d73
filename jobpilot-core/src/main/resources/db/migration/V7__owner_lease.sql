-- One lease per owner process, renewed in one row: a held run (jp_run.lease_until set when it was taken) stays held
-- while its owner's lease here has not lapsed. Renewing every run's own row rewrote 10,000 wide rows every few seconds
-- at 10,000 runs in flight. A clean exit deletes its row; one left by a killed process is deleted a day later.
-- Portable between H2 and PostgreSQL, like V1-V6.
CREATE TABLE jp_owner_lease (
    owner       VARCHAR(200) PRIMARY KEY,               -- jp_run.owner: the owner process's unique token
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL
);
