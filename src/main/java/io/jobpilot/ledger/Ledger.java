package io.jobpilot.ledger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.Notification;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunError;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.RunOrigin;
import io.jobpilot.run.RunOwner;
import io.jobpilot.run.RunResult;
import io.jobpilot.run.RunTakenOver;
import io.jobpilot.run.Secrets;
import io.jobpilot.run.StepRecord;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable record of every run: H2 file by default, PostgreSQL by URL; schema by Flyway, connections by HikariCP.
 * Writes the intent before anything is sent, remote ids the moment they are known, and every state change.
 */
public final class Ledger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final HikariDataSource dataSource;
    private volatile CrashPoints crashPoints = CrashPoints.NONE;

    private Ledger(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Crash testing only: halt the process right after the named records (see {@link CrashPoints}). */
    public void crashAfter(CrashPoints points) {
        this.crashPoints = points;
    }

    public static Ledger open(String url, String user, String password, int poolSize) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(durable(url));
        cfg.setUsername(user);
        cfg.setPassword(password == null ? "" : password);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setPoolName("jobpilot-ledger");
        cfg.setConnectionTimeout(10_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            String cause = rootMessage(e);
            String hint = cause != null && cause.toLowerCase().contains("lock")
                    ? "another process holds the H2 file; add ;AUTO_SERVER=TRUE to jobpilot.db.url to share it"
                    : cause != null && cause.contains("No suitable driver")
                    ? "jobpilot.db.url must start with jdbc:h2: or jdbc:postgresql:"
                    : "check jobpilot.db.url, jobpilot.db.username and the database server";
            throw new RunFailure(ErrorKind.LOCAL, "ledger", null, "cannot open the run ledger at " + Secrets.scrub(url) + ": "
                    + cause + " (" + hint + ")");
        }
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return new Ledger(ds);
    }

    /**
     * An H2 file database writes committed changes in the background (by default up to 500 ms later), so a killed
     * process would lose the last steps it recorded: the ledger asks for every commit to be written at once.
     */
    public static String durable(String url) {
        String durable = url;
        if (durable.startsWith(H2_FILE) && !durable.toUpperCase().contains("WRITE_DELAY")) {
            durable = durable + ";WRITE_DELAY=0";
        }
        return interruptible(durable);
    }

    /**
     * A thread interrupted while H2 writes its file closes the whole embedded database for every connection (NIO closes
     * the channel), and Quartz interrupts its own threads when it shuts down, whatever they are doing. H2's
     * {@code retry:} file system reopens the file and tries again instead.
     */
    private static String interruptible(String url) {
        return url.startsWith(H2_FILE) ? "jdbc:h2:retry:" + url.substring(H2_FILE.length()) : url;
    }

    private static final String H2_FILE = "jdbc:h2:file:";

    public DataSource dataSource() {
        return dataSource;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    // ---- writes -------------------------------------------------------------------------------------------

    /**
     * Records the intent to run before anything is sent to a vendor, held by the origin's owner. A second process
     * inserting the same run id at the same time gets a duplicate-key {@link LedgerException}.
     */
    public void insert(Run run) {
        Instant now = Instant.now();
        var req = run.request();
        var stored = new LedgerRun.StoredRequest(run.workflow(), Secrets.maskParams(req.params()),
                run.dir().getParent().toString(), req.timeout() == null ? null : req.timeout().toMillis(),
                req.onTimeout().name(), req.notifyUrl());
        RunOrigin origin = run.origin();
        RunOwner owner = origin.owner();
        update("INSERT INTO jp_run (run_id, workflow, state, params_json, request_json, out_dir, created_at, updated_at, "
                        + "origin, schedule_name, owner, lease_until, owner_node, owner_host, owner_pid, owner_started, owner_pid_ns, "
                        + "owned_since) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", run.runId(), run.workflow(),
                "PENDING", Json.write(Secrets.maskParams(req.params())), Json.write(stored), run.dir().getParent().toString(),
                ts(now), ts(now), origin.kind(), origin.schedule(), owner == null ? null : owner.token(), ts(origin.leaseUntil()),
                owner == null ? null : owner.node(), owner == null ? null : owner.host(), owner == null ? null : owner.pid(),
                owner == null ? null : ts(owner.processStarted()), owner == null ? null : owner.pidNamespace(),
                owner == null ? null : ts(now));
        event(run.runId(), "PENDING", "recorded");
        crashPoints.after("state", "PENDING");
    }

    /** A state change (STARTING, RUNNING, COLLECTING, ...) with a one-line detail for `jobpilot show`. */
    public void state(Run run, String state, String detail) {
        run.state(state);
        update("UPDATE jp_run SET state = ?, updated_at = ? WHERE run_id = ?", state, ts(Instant.now()), run.runId());
        event(run.runId(), state, detail);
        crashPoints.after("state", state);
    }

    public void remoteId(Run run, String name, String value) {
        run.remoteId(name, value);
        Instant now = Instant.now();
        int n = update("UPDATE jp_run_remote_id SET id_value = ?, recorded_at = ? WHERE run_id = ? AND id_name = ?", value, ts(now),
                run.runId(), name);
        if (n == 0) {
            update("INSERT INTO jp_run_remote_id (run_id, id_name, id_value, recorded_at) VALUES (?,?,?,?)", run.runId(), name, value,
                    ts(now));
        }
        crashPoints.after("remote", name);
    }

    /** Marks a step with side effects as done, so resume never repeats it. */
    public void stepDone(Run run, String step) {
        stepDone(run, step, null);
    }

    /** Marks a step done with a note that a resumed run reads back ({@link Run#stepRecord}). */
    public void stepDone(Run run, String step, String detail) {
        if (run.done(step)) {
            return;
        }
        Instant now = Instant.now();
        try {
            update("INSERT INTO jp_run_step (run_id, step, done_at, detail) VALUES (?,?,?,?)", run.runId(), step, ts(now),
                    truncate(Secrets.scrub(detail), 4000));
        } catch (LedgerException e) {
            if (!e.isDuplicateKey()) {
                throw e;
            }
        }
        run.markDone(step);
        run.stepDetail(step, new StepRecord(now, detail));
        crashPoints.after("step", step);
    }

    /** Takes a step back (the user asked for a start to be sent again): resume will do it once more. */
    public void forgetStep(Run run, String step) {
        update("DELETE FROM jp_run_step WHERE run_id = ? AND step = ?", run.runId(), step);
        run.forget(step);
    }

    /** A run that ended with an uncertain start is opened again for reconciliation (or, when asked, a new start). */
    public void reopen(Run run, String detail) {
        update("UPDATE jp_run SET outcome = NULL, finished_at = NULL, error_kind = NULL, error_step = NULL, "
                + "error_vendor_code = NULL, error_message = NULL, state = ?, updated_at = ? WHERE run_id = ?", "RESUMED",
                ts(Instant.now()), run.runId());
        event(run.runId(), "RESUMED", detail);
    }

    public void progress(Run run) {
        update("UPDATE jp_run SET progress_json = ?, warnings_json = ?, updated_at = ? WHERE run_id = ?",
                Json.write(run.counts()), Json.write(run.warnings()), ts(Instant.now()), run.runId());
    }

    /**
     * The run's end, and (with a notify URL) its completion notification in the outbox, in one transaction: a crash
     * after this loses no notification, and none is queued for a run the ledger does not show as ended.
     */
    public void finish(Run run) {
        finish(run, null);
    }

    /**
     * As {@link #finish(Run)}, by the run's owner: nothing is written ({@link RunTakenOver}) when {@code owner} no
     * longer holds the run or it has ended meanwhile (`jobpilot stop`), so a process presumed gone never writes its
     * outcome over the new owner's, nor a follower over a stop's.
     */
    public void finish(Run run, RunOwner owner) {
        RunError e = run.error();
        List<Object> args = new ArrayList<>(Arrays.asList(run.outcome().name(), run.outcome().name(), Json.write(run.counts()),
                Json.write(run.warnings()), Json.write(run.artifacts()), e == null ? null : e.kind().name(),
                e == null ? null : e.step(), e == null ? null : e.vendorCode(), e == null ? null : truncate(e.message(), 4000),
                ts(run.finishedAt()), ts(Instant.now()), run.runId()));
        if (owner != null) {
            args.add(owner.token());
        }
        transaction(c -> {
            int n = update(c, "UPDATE jp_run SET state = ?, outcome = ?, progress_json = ?, warnings_json = ?, artifacts_json = ?, "
                    + "error_kind = ?, error_step = ?, error_vendor_code = ?, error_message = ?, finished_at = ?, updated_at = ?, "
                    + "lease_until = NULL WHERE run_id = ?" + (owner == null ? "" : " AND owner = ? AND outcome IS NULL"), args.toArray());
            if (n == 0 && owner != null) {
                throw new RunTakenOver("run " + run.runId() + " was taken over or ended by another process; its outcome is not "
                        + "this process's to record");
            }
            if (run.request().notifyUrl() != null) {
                NotifyOutbox.enqueue(c, run.runId(), run.request().notifyUrl(), Json.ascii(run.toResult()), Instant.now());
            }
            event(c, run.runId(), run.outcome().name(), e == null ? "finished" : truncate(e.message(), 4000));
        });
    }

    // ---- serve mode: schedule fires (who follows a run, leases and adoption: RunOwnership) ----------------------

    public Optional<String> unfinishedRunOfSchedule(String schedule) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT run_id FROM jp_run WHERE schedule_name = ? AND outcome IS NULL ORDER BY created_at DESC")) {
            ps.setString(1, schedule);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("reading schedule state failed: " + e.getMessage(), e);
        }
    }

    /** Records what became of one schedule fire; false when that fire was already recorded (by this or another node). */
    public boolean recordFire(String schedule, Instant fireTime, String decision, String runId, String detail) {
        try {
            update("INSERT INTO jp_schedule_fire (schedule_name, fire_time, decision, run_id, detail, recorded_at) VALUES (?,?,?,?,?,?)",
                    schedule, ts(fireTime), decision, runId, truncate(detail, 1000), ts(Instant.now()));
            return true;
        } catch (LedgerException e) {
            if (e.isDuplicateKey()) {
                return false;
            }
            throw e;
        }
    }

    public record Fire(String schedule, Instant fireTime, String decision, String runId, String detail) {
    }

    public List<Fire> fires(String schedule) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT schedule_name, fire_time, decision, run_id, detail FROM jp_schedule_fire WHERE schedule_name = ? ORDER BY fire_time")) {
            ps.setString(1, schedule);
            List<Fire> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Fire(rs.getString(1), instant(rs.getTimestamp(2)), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("reading schedule fires failed: " + e.getMessage(), e);
        }
    }

    private void event(String runId, String state, String detail) {
        withConnection(c -> event(c, runId, state, detail));
    }

    private static int event(Connection c, String runId, String state, String detail) throws SQLException {
        return update(c, "INSERT INTO jp_run_event (run_id, at, state, detail) VALUES (?,?,?,?)", runId, ts(Instant.now()), state,
                truncate(Secrets.scrub(detail), 4000));
    }

    // ---- reads --------------------------------------------------------------------------------------------

    public Optional<LedgerRun> find(String runId) {
        List<LedgerRun> runs = query("SELECT * FROM jp_run WHERE run_id = ?", 1, runId);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    /** Newest first; null filters match everything. */
    public List<LedgerRun> list(String state, String workflow, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM jp_run WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state.toUpperCase());
        }
        if (workflow != null) {
            sql.append(" AND workflow = ?");
            args.add(workflow);
        }
        sql.append(" ORDER BY created_at DESC");
        return query(sql.toString(), limit, args.toArray());
    }

    private List<LedgerRun> query(String sql, int limit, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.setMaxRows(limit);
            List<LedgerRun> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(c, rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("reading the run ledger failed: " + e.getMessage(), e);
        }
    }

    private LedgerRun map(Connection c, ResultSet rs) throws SQLException {
        String runId = rs.getString("run_id");
        Map<String, String> remoteIds = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id_name, id_value FROM jp_run_remote_id WHERE run_id = ? ORDER BY recorded_at")) {
            ps.setString(1, runId);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    remoteIds.put(r.getString(1), r.getString(2));
                }
            }
        }
        List<LedgerRun.Event> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT at, state, detail FROM jp_run_event WHERE run_id = ? ORDER BY id")) {
            ps.setString(1, runId);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    events.add(new LedgerRun.Event(instant(r.getTimestamp(1)), r.getString(2), r.getString(3)));
                }
            }
        }
        List<String> steps = new ArrayList<>();
        Map<String, StepRecord> stepRecords = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT step, done_at, detail FROM jp_run_step WHERE run_id = ? ORDER BY done_at")) {
            ps.setString(1, runId);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    steps.add(r.getString(1));
                    stepRecords.put(r.getString(1), new StepRecord(instant(r.getTimestamp(2)), r.getString(3)));
                }
            }
        }
        String outcomeText = rs.getString("outcome");
        Outcome outcome = outcomeText == null ? null : Outcome.valueOf(outcomeText);
        String kind = rs.getString("error_kind");
        RunError error = kind == null ? null : new RunError(ErrorKind.valueOf(kind), rs.getString("error_step"),
                rs.getString("error_vendor_code"), rs.getString("error_message"));
        Instant created = instant(rs.getTimestamp("created_at"));
        Instant finished = instant(rs.getTimestamp("finished_at"));
        Map<String, String> params = read(rs.getString("params_json"), STRING_MAP, Map.of());
        String runDir = java.nio.file.Path.of(rs.getString("out_dir")).resolve(runId).toString();
        RunResult result = new RunResult(runId, rs.getString("workflow"), outcome, rs.getString("state"), remoteIds, created,
                finished, finished == null ? null : Duration.between(created, finished).toMillis(),
                read(rs.getString("progress_json"), OBJECT_MAP, Map.of()), read(rs.getString("artifacts_json"), STRING_LIST, List.of()),
                error, read(rs.getString("warnings_json"), STRING_LIST, List.of()), params, rs.getString("out_dir"))
                .withNotification(NotifyOutbox.latest(c, runId).orElse(null));
        LedgerRun.StoredRequest request = read(rs.getString("request_json"), new TypeReference<>() {
        }, null);
        LOG.trace("loaded run {} from {}", runId, runDir);
        return new LedgerRun(result, request, events, steps, stepRecords, created, instant(rs.getTimestamp("updated_at")));
    }

    private static <T> T read(String json, TypeReference<T> type, T fallback) {
        if (json == null) {
            return fallback;
        }
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (Exception e) {
            throw new LedgerException("ledger holds unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** Where the run's latest completion notification stands, when it has one. */
    public Optional<Notification> notification(String runId) {
        return withConnection(c -> NotifyOutbox.latest(c, runId));
    }

    /** Health probe: true when a connection can be had and answers. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------------------

    int update(String sql, Object... args) {
        return withConnection(c -> update(c, sql, args));
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** Database work on one pooled connection. */
    interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /** Database work that commits as a whole or not at all. */
    interface Transaction {
        void on(Connection c) throws SQLException;
    }

    <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.on(c);
        } catch (SQLException e) {
            throw new LedgerException("the run ledger failed: " + e.getMessage(), e);
        }
    }

    void transaction(Transaction work) {
        withConnection(c -> {
            c.setAutoCommit(false);
            try {
                work.on(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** A database problem; the message says what was being done. */
    public static final class LedgerException extends RunFailure {
        private final String sqlState;

        LedgerException(String message, SQLException cause) {
            super(ErrorKind.LOCAL, "ledger", null, message, Outcome.FAILED, cause);
            this.sqlState = cause == null ? null : cause.getSQLState();
        }

        LedgerException(String message, Exception cause) {
            super(ErrorKind.LOCAL, "ledger", null, message, Outcome.FAILED, cause);
            this.sqlState = null;
        }

        public boolean isDuplicateKey() {
            return sqlState != null && sqlState.startsWith("23");
        }
    }
}
