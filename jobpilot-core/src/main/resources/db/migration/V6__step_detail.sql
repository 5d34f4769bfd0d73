-- What a step was recorded with: a start's intent keeps what reconciliation needs after a crash (e.g. the session's
-- status before play), so a resumed run can find out what the vendor did instead of sending the start again.
ALTER TABLE jp_run_step ADD COLUMN detail VARCHAR(4000);
