package io.jobpilot.ledger;

import io.jobpilot.ledger.Ledger.LedgerException;
import io.jobpilot.run.Json;
import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunError;
import io.jobpilot.run.RunLedger.AlreadyRecorded;
import io.jobpilot.run.RunOrigin;
import io.jobpilot.run.RunOwner;
import io.jobpilot.run.RunTakenOver;
import io.jobpilot.run.Secrets;
import io.jobpilot.run.StepRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run's records as it goes: the intent before anything is sent, remote ids the moment they are known, steps done,
 * every state change (each with its event), and its end with the completion notification queued alongside.
 */
final class RunWrites {
    private final LedgerConnections db;

    RunWrites(LedgerConnections db) {
        this.db = db;
    }

    /** A second process inserting the same run id at the same time gets {@link AlreadyRecorded} (a duplicate key). */
    void insert(Run run) {
        Instant now = Instant.now();
        var req = run.request();
        var stored = new LedgerRun.StoredRequest(run.workflow(), Secrets.maskParams(req.params()),
                run.dir().getParent().toString(), req.timeout() == null ? null : req.timeout().toMillis(),
                req.onTimeout().name(), req.notifyUrl());
        RunOrigin origin = run.origin();
        RunOwner owner = origin.owner();
        try {
            db.together(() -> {                          // the run and its first event: one commit
                db.update("INSERT INTO jp_run (run_id, workflow, state, params_json, request_json, out_dir, created_at, updated_at, "
                                + "origin, schedule_name, owner, lease_until, owner_node, owner_host, owner_pid, owner_started, owner_pid_ns, "
                                + "owned_since) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", run.runId(), run.workflow(),
                        "PENDING", Json.write(Secrets.maskParams(req.params())), Json.write(stored), run.dir().getParent().toString(),
                        Sql.ts(now), Sql.ts(now), origin.kind(), origin.schedule(), owner == null ? null : owner.token(),
                        Sql.ts(origin.leaseUntil()), owner == null ? null : owner.node(), owner == null ? null : owner.host(),
                        owner == null ? null : owner.pid(), owner == null ? null : Sql.ts(owner.processStarted()),
                        owner == null ? null : owner.pidNamespace(), owner == null ? null : Sql.ts(now));
                event(run.runId(), "PENDING", "recorded");
            });
        } catch (LedgerException e) {
            if (e.isDuplicateKey()) {
                throw new AlreadyRecorded(e);
            }
            throw e;
        }
        db.crashAfter("state", "PENDING");
    }

    void state(Run run, String state, String detail) {
        run.state(state);
        db.together(() -> {
            db.update("UPDATE jp_run SET state = ?, updated_at = ? WHERE run_id = ?", state, Sql.ts(Instant.now()), run.runId());
            event(run.runId(), state, detail);
        });
        db.crashAfter("state", state);
    }

    void remoteId(Run run, String name, String value) {
        run.remoteId(name, value);
        Instant now = Instant.now();
        int n = db.update("UPDATE jp_run_remote_id SET id_value = ?, recorded_at = ? WHERE run_id = ? AND id_name = ?", value,
                Sql.ts(now), run.runId(), name);
        if (n == 0) {
            db.update("INSERT INTO jp_run_remote_id (run_id, id_name, id_value, recorded_at) VALUES (?,?,?,?)", run.runId(), name,
                    value, Sql.ts(now));
        }
        db.crashAfter("remote", name);
    }

    void stepDone(Run run, String step, String detail) {
        if (run.done(step)) {
            return;
        }
        Instant now = Instant.now();
        try {
            db.update("INSERT INTO jp_run_step (run_id, step, done_at, detail) VALUES (?,?,?,?)", run.runId(), step, Sql.ts(now),
                    Sql.truncate(Secrets.scrub(detail), 4000));
        } catch (LedgerException e) {
            if (!e.isDuplicateKey()) {
                throw e;
            }
        }
        run.markDone(step);
        run.stepDetail(step, new StepRecord(now, detail));
        db.crashAfter("step", step);
    }

    void forgetStep(Run run, String step) {
        db.update("DELETE FROM jp_run_step WHERE run_id = ? AND step = ?", run.runId(), step);
        run.forget(step);
    }

    void reopen(Run run, String detail) {
        db.update("UPDATE jp_run SET outcome = NULL, finished_at = NULL, error_kind = NULL, error_step = NULL, "
                + "error_vendor_code = NULL, error_message = NULL, state = ?, updated_at = ? WHERE run_id = ?", "RESUMED",
                Sql.ts(Instant.now()), run.runId());
        event(run.runId(), "RESUMED", detail);
    }

    void progress(Run run) {
        db.update("UPDATE jp_run SET progress_json = ?, warnings_json = ?, updated_at = ? WHERE run_id = ?",
                Json.write(run.counts()), Json.write(run.warnings()), Sql.ts(Instant.now()), run.runId());
    }

    /**
     * The run's end, and (with a notify URL) its completion notification in the outbox, in one transaction. With an
     * {@code owner}, nothing is written ({@link RunTakenOver}) when it no longer holds the run or the run has ended
     * meanwhile.
     */
    void finish(Run run, RunOwner owner) {
        RunError e = run.error();
        List<Object> args = new ArrayList<>(Arrays.asList(run.outcome().name(), run.outcome().name(), Json.write(run.counts()),
                Json.write(run.warnings()), Json.write(run.artifacts()), e == null ? null : e.kind().name(),
                e == null ? null : e.step(), e == null ? null : e.vendorCode(), e == null ? null : Sql.truncate(e.message(), 4000),
                Sql.ts(run.finishedAt()), Sql.ts(Instant.now()), run.runId()));
        if (owner != null) {
            args.add(owner.token());
        }
        db.transaction(c -> {
            int n = Sql.update(c, "UPDATE jp_run SET state = ?, outcome = ?, progress_json = ?, warnings_json = ?, artifacts_json = ?, "
                    + "error_kind = ?, error_step = ?, error_vendor_code = ?, error_message = ?, finished_at = ?, updated_at = ?, "
                    + "lease_until = NULL WHERE run_id = ?" + (owner == null ? "" : " AND owner = ? AND outcome IS NULL"), args.toArray());
            if (n == 0 && owner != null) {
                throw new RunTakenOver("run " + run.runId() + " was taken over or ended by another process; its outcome is not "
                        + "this process's to record");
            }
            if (run.request().notifyUrl() != null) {
                NotifyOutbox.enqueue(c, run.runId(), run.request().notifyUrl(), Json.ascii(run.toResult()), Instant.now());
            }
            event(c, run.runId(), run.outcome().name(), e == null ? "finished" : Sql.truncate(e.message(), 4000));
        });
    }

    private void event(String runId, String state, String detail) {
        db.write(c -> event(c, runId, state, detail));
    }

    private static int event(Connection c, String runId, String state, String detail) throws SQLException {
        return Sql.update(c, "INSERT INTO jp_run_event (run_id, at, state, detail) VALUES (?,?,?,?)", runId, Sql.ts(Instant.now()),
                state, Sql.truncate(Secrets.scrub(detail), 4000));
    }
}
