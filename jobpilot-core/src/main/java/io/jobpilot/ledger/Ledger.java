package io.jobpilot.ledger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.Notification;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunError;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.RunLedger;
import io.jobpilot.run.RunOrigin;
import io.jobpilot.run.RunOwner;
import io.jobpilot.run.RunResult;
import io.jobpilot.run.RunTakenOver;
import io.jobpilot.run.Secrets;
import io.jobpilot.run.UsageException;
import io.jobpilot.run.StepRecord;
import io.jobpilot.config.JobpilotConfig.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The durable record of every run: H2 file by default, PostgreSQL by URL; schema by Flyway, connections by HikariCP.
 * Writes the intent before anything is sent, remote ids the moment they are known, and every state change.
 */
public final class Ledger implements RunLedger, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    /** Opens made while the process serving an H2 file exits, before the failure is the caller's. */
    private static final int OPEN_ATTEMPTS = 8;          // pauses of 0.25 s, 0.5 s ... 1.75 s: 7 s in all, for a loaded host
    private static final Duration HANDOVER_PAUSE = Duration.ofMillis(250);
    /** Flyway holds one connection while it reads the schema history on another. */
    private static final int READER_CONNECTIONS = 2;
    /** A reader whose connections broke with the exiting server gives up on them soon, and opens the ledger again. */
    private static final Duration READER_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** H2's error codes (org.h2.api.ErrorCode) for a file another process holds and for options it refuses together. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    private static final int H2_FEATURE_NOT_SUPPORTED = 50100;
    /** H2's error code for a file that does not exist, opened with IFEXISTS=TRUE (a reader's URL). */
    private static final int H2_DATABASE_NOT_FOUND = 90146;
    /** H2's error code for a file it could not open, e.g. its lock file changed a moment ago ("recently modified"). */
    private static final int H2_ERROR_OPENING = 8000;
    /** H2's error codes for a database that closed (its serving process exits) or a connection that broke meanwhile. */
    private static final Set<Integer> H2_CONNECTION_LOST = Set.of(90098, 90067, 90121);

    private final HikariDataSource dataSource;
    private volatile CrashPoints crashPoints = CrashPoints.NONE;
    /** The connection of this thread's {@link #together} block, whose writes commit as one. */
    private final ThreadLocal<Batch> batch = new ThreadLocal<>();

    private record Batch(Connection connection, List<Runnable> afterCommit) {
    }

    private Ledger(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Crash testing only: halt the process right after the named records (see {@link CrashPoints}). */
    public void crashAfter(CrashPoints points) {
        this.crashPoints = points;
    }

    /** A ledger at {@code url} (see {@link LedgerSettings} for what an H2 file URL gets), schema migrated. */
    public static Ledger open(String url, String user, String password, int poolSize) {
        return open(LedgerSettings.of(url, user, password, LedgerSettings.DEFAULT_BIND_ADDRESS), poolSize);
    }

    /**
     * The ledger a process writes to: the schema is created or migrated first (Flyway), unless one query shows it is
     * at this jobpilot's version already.
     */
    public static Ledger open(LedgerSettings settings, int poolSize) {
        return whileServerExits(() -> {
            HikariDataSource ds = pool(settings, poolSize, false);
            try {
                if (schema(ds).state() != LedgerSchema.State.CURRENT) {
                    LedgerMigrations.migrate(ds);
                }
            } catch (RuntimeException e) {
                ds.close();
                throw openFailure(settings, e);
            }
            return new Ledger(ds);
        });
    }

    /**
     * Opening (or reading) an H2 file that another process serves meets that process exiting now and then (a
     * `jobpilot runs` that served it a moment): the work is made again, and reaches the next server or opens the file
     * itself. A migration that broke off is not recorded as done, so making it again is safe; writes are not retried.
     */
    public static <T> T whileServerExits(Supplier<T> open) {
        for (int attempt = 1; ; attempt++) {
            try {
                return open.get();
            } catch (LedgerException | FileInUse e) {
                boolean handover = e instanceof LedgerException l ? l.isConnectionLost() : ((FileInUse) e).duringHandover;
                if (!handover || attempt == OPEN_ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** A moment for the next process to take the file over (H2 checks a stale lock file for about a second). */
    private static void pause(int attempt) {
        try {
            Thread.sleep(HANDOVER_PAUSE.toMillis() * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure(ErrorKind.LOCAL, "ledger", null, "interrupted while opening the run ledger");
        }
    }

    /**
     * The ledger for commands that only read it (`runs`, `show`): a small pool, no migration, no Flyway unless the
     * schema history is one {@link LedgerSchema} cannot vouch for. Empty when nothing has been recorded yet (no schema: a
     * writing process creates it); no ledger file at all is a {@link NoLedger}, and a schema older than this jobpilot's
     * is a one-line error, since only a writing process may migrate it. Neither creates anything.
     */
    public static Optional<Ledger> openReadOnly(LedgerSettings settings) {
        return whileServerExits(() -> {
            HikariDataSource ds = pool(settings, READER_CONNECTIONS, true);
            try {
                LedgerSchema.Look look = schema(ds);
                if (look.state() == LedgerSchema.State.UNKNOWN) {
                    look = LedgerMigrations.look(ds);
                }
                if (look.state() == LedgerSchema.State.NONE) {
                    ds.close();
                    return Optional.empty();
                }
                if (look.state() == LedgerSchema.State.OLDER) {
                    throw new ConfigException("the run ledger at " + Secrets.scrub(settings.url()) + " has schema version "
                            + look.version() + ", older than this jobpilot's; a `jobpilot run` or `serve` of "
                            + "this version migrates it");
                }
            } catch (ConfigException e) {
                ds.close();
                throw e;
            } catch (RuntimeException e) {
                ds.close();
                throw openFailure(settings, e);
            }
            return Optional.of(new Ledger(ds));
        });
    }

    private static LedgerSchema.Look schema(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return LedgerSchema.of(c);
        } catch (SQLException e) {
            throw new LedgerException("cannot read the run ledger's schema history: " + e.getMessage(), e);
        }
    }

    /**
     * One connection is made directly first, so a database that cannot be opened is one SQLException here rather than
     * a pool-initialisation stack trace in the log; it stays open until the pool has its own, so an embedded H2
     * database is not closed and reopened in between. The embedded H2 server's bind address is fixed before H2
     * first starts one.
     */
    private static HikariDataSource pool(LedgerSettings settings, int poolSize, boolean readOnly) {
        if (settings.url().startsWith("jdbc:h2:")) {
            H2ServerAddress.bindTo(settings.bindAddress(), settings.isH2File() && settings.shared());
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(readOnly ? settings.existingJdbcUrl() : settings.jdbcUrl());
        cfg.setUsername(settings.username());
        cfg.setPassword(settings.password() == null ? "" : settings.password());
        cfg.setMaximumPoolSize(poolSize);
        cfg.setReadOnly(readOnly);
        cfg.setPoolName(readOnly ? "jobpilot-ledger-reader" : "jobpilot-ledger");
        cfg.setConnectionTimeout(readOnly ? READER_CONNECTION_TIMEOUT.toMillis() : 10_000);
        try (Connection first = DriverManager.getConnection(cfg.getJdbcUrl(), cfg.getUsername(), cfg.getPassword())) {
            if (settings.closedByLedger()) {
                H2ExitClose.leaveToLedger(first);
            }
            return new HikariDataSource(cfg);
        } catch (SQLException | RuntimeException e) {
            throw openFailure(settings, e);
        }
    }

    /**
     * Why the ledger cannot be opened, in one line. A file another process holds unshared, an option H2 refuses or
     * a URL no driver takes are configuration errors (exit 2); a lost connection stays a {@link LedgerException}, which
     * a reader may try again.
     */
    static RuntimeException openFailure(LedgerSettings settings, Throwable e) {
        SQLException sql = sqlCause(e);
        String url = Secrets.scrub(settings.url());
        String cause = sql != null ? sql.getMessage().split("\n")[0] : rootMessage(e);
        if (sql != null && sql.getErrorCode() == H2_ERROR_OPENING && settings.shared()
                && (cause.contains("Lock file") || cause.contains("Another process was faster"))) {
            // H2 met the lock file of a process that is handing the file over (it leaves the file moments later), or
            // another process created the lock file between H2's look and its own create: the file has a server now
            return new FileInUse(true, "the run ledger " + url + " stayed locked while another process handed it over: "
                    + cause + "; try again");
        }
        if (sql != null && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
            return new FileInUse(settings.shared(), "the run ledger " + url + " is open in another process that does not share it ("
                    + (settings.shared() ? "it opened the file without AUTO_SERVER=TRUE; give that process the same "
                    + "jobpilot.db.url" : "jobpilot.db.url sets " + settings.sharingExcludedBy() + ", which keeps the file to "
                    + "one process; remove that option to share the file between the processes of this machine")
                    + "), or use PostgreSQL across machines");
        }
        if (sql != null && sql.getErrorCode() == H2_DATABASE_NOT_FOUND) {
            return new NoLedger("no ledger at " + settings.h2File() + " (jobpilot.db.url); a `jobpilot run` or `serve` creates it");
        }
        if (sql != null && sql.getErrorCode() == H2_FEATURE_NOT_SUPPORTED) {
            return new ConfigException("jobpilot.db.url " + url + ": H2 refuses these options together: " + cause);
        }
        if (cause != null && cause.contains("No suitable driver")) {
            return new ConfigException("jobpilot.db.url " + url + " must start with jdbc:h2: or jdbc:postgresql:");
        }
        if (sql != null) {
            return new LedgerException("cannot open the run ledger at " + url + ": " + cause
                    + " (check jobpilot.db.url, jobpilot.db.username and the database server)", sql);
        }
        return new RunFailure(ErrorKind.LOCAL, "ledger", null, "cannot open the run ledger at " + url + ": " + cause
                + " (check jobpilot.db.url, jobpilot.db.username and the database server)");
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                SQLException deeper = sqlCause(t.getCause());
                return deeper != null ? deeper : s;
            }
        }
        return null;
    }

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

    /** A second process inserting the same run id at the same time gets {@link AlreadyRecorded} (a duplicate key). */
    @Override
    public void insert(Run run) {
        Instant now = Instant.now();
        var req = run.request();
        var stored = new LedgerRun.StoredRequest(run.workflow(), Secrets.maskParams(req.params()),
                run.dir().getParent().toString(), req.timeout() == null ? null : req.timeout().toMillis(),
                req.onTimeout().name(), req.notifyUrl());
        RunOrigin origin = run.origin();
        RunOwner owner = origin.owner();
        try {
            together(() -> {                             // the run and its first event: one commit
                update("INSERT INTO jp_run (run_id, workflow, state, params_json, request_json, out_dir, created_at, updated_at, "
                                + "origin, schedule_name, owner, lease_until, owner_node, owner_host, owner_pid, owner_started, owner_pid_ns, "
                                + "owned_since) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", run.runId(), run.workflow(),
                        "PENDING", Json.write(Secrets.maskParams(req.params())), Json.write(stored), run.dir().getParent().toString(),
                        ts(now), ts(now), origin.kind(), origin.schedule(), owner == null ? null : owner.token(), ts(origin.leaseUntil()),
                        owner == null ? null : owner.node(), owner == null ? null : owner.host(), owner == null ? null : owner.pid(),
                        owner == null ? null : ts(owner.processStarted()), owner == null ? null : owner.pidNamespace(),
                        owner == null ? null : ts(now));
                event(run.runId(), "PENDING", "recorded");
            });
        } catch (LedgerException e) {
            if (e.isDuplicateKey()) {
                throw new AlreadyRecorded(e);
            }
            throw e;
        }
        crashAfter("state", "PENDING");
    }

    @Override
    public void state(Run run, String state, String detail) {
        run.state(state);
        together(() -> {
            update("UPDATE jp_run SET state = ?, updated_at = ? WHERE run_id = ?", state, ts(Instant.now()), run.runId());
            event(run.runId(), state, detail);
        });
        crashAfter("state", state);
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
        crashAfter("remote", name);
    }

    @Override
    public void stepDone(Run run, String step) {
        stepDone(run, step, null);
    }

    @Override
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
        crashAfter("step", step);
    }

    @Override
    public void forgetStep(Run run, String step) {
        update("DELETE FROM jp_run_step WHERE run_id = ? AND step = ?", run.runId(), step);
        run.forget(step);
    }

    @Override
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
    @Override
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

    @Override
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

    @Override
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
        Batch open = batch.get();
        try {
            if (open != null) {
                return work.on(open.connection());
            }
            try (Connection c = dataSource.getConnection()) {
                return work.on(c);
            }
        } catch (SQLException e) {
            throw new LedgerException("the run ledger failed: " + e.getMessage(), e);
        }
    }

    /**
     * The ledger writes {@code writes} makes (on this thread) commit as one: one commit, and with H2's WRITE_DELAY=0
     * one write to the file, instead of one per statement. For records that belong together (a start's remote id,
     * its step and its new state). Nested blocks join the outer one; a failure rolls all of it back.
     */
    @Override
    public void together(Runnable writes) {
        if (batch.get() != null) {
            writes.run();
            return;
        }
        List<Runnable> afterCommit = new ArrayList<>();
        withConnection(c -> {
            c.setAutoCommit(false);
            batch.set(new Batch(c, afterCommit));
            try {
                writes.run();
                c.commit();
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                batch.remove();
                c.setAutoCommit(true);
            }
            return null;
        });
        afterCommit.forEach(Runnable::run);
    }

    /** A test's crash point fires once what it names is committed (at the end of a {@link #together} block). */
    private void crashAfter(String kind, String name) {
        Batch open = batch.get();
        if (open != null) {
            open.afterCommit().add(() -> crashPoints.after(kind, name));
        } else {
            crashPoints.after(kind, name);
        }
    }

    void transaction(Transaction work) {
        Batch open = batch.get();
        if (open != null) {                          // part of a together block: it commits with the block
            withConnection(c -> {
                work.on(c);
                return null;
            });
            return;
        }
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

    /**
     * The H2 file is locked by another process: one that keeps it to itself (exit 2), or, when this URL shares it, one
     * that is handing it over to the next process as it exits (so the open is tried again first).
     */
    public static final class FileInUse extends UsageException {
        private final boolean duringHandover;

        FileInUse(boolean duringHandover, String message) {
            super(message);
            this.duringHandover = duringHandover;
        }
    }

    /** A reader found no ledger file where jobpilot.db.url points: nothing has been recorded there, and it stays so. */
    public static final class NoLedger extends UsageException {
        NoLedger(String message) {
            super(message);
        }
    }

    /** A database problem; the message says what was being done. */
    public static final class LedgerException extends RunFailure {
        private final String sqlState;
        private final int errorCode;

        LedgerException(String message, SQLException cause) {
            super(ErrorKind.LOCAL, "ledger", null, message, Outcome.FAILED, cause);
            SQLException root = cause == null ? null : Objects.requireNonNullElse(sqlCause(cause), cause);
            this.sqlState = root == null ? null : root.getSQLState();
            this.errorCode = root == null ? 0 : root.getErrorCode();
        }

        LedgerException(String message, Exception cause) {
            super(ErrorKind.LOCAL, "ledger", null, message, Outcome.FAILED, cause);
            this.sqlState = null;
            this.errorCode = 0;
        }

        /**
         * The database went away under the statement: the H2 file's serving process exited (another process takes
         * it over), the connection broke (SQL state class 08), or the pool found no working connection in time (its
         * connections broke with the server), or a new connection met the file held by the process taking it over
         * before it serves it (an open ledger's file is a shared one, or this process would hold it). Reading again
         * is safe.
         */
        public boolean isConnectionLost() {
            return H2_CONNECTION_LOST.contains(errorCode) || errorCode == H2_DATABASE_ALREADY_OPEN
                    || sqlState != null && sqlState.startsWith("08")
                    || getCause() instanceof SQLTransientConnectionException;
        }

        public boolean isDuplicateKey() {
            return sqlState != null && sqlState.startsWith("23");
        }
    }
}
