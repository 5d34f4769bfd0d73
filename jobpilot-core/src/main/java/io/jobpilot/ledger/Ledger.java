package io.jobpilot.ledger;

import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.Notification;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.RunLedger;
import io.jobpilot.run.RunOwner;
import io.jobpilot.run.RunTakenOver;
import io.jobpilot.run.UsageException;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The durable record of every run: H2 file by default, PostgreSQL by URL; schema by Flyway, connections by HikariCP.
 * Writes the intent before anything is sent, remote ids the moment they are known, and every state change. The one
 * door the rest of jobpilot uses; the work is done by {@link LedgerOpening} (pool and migrations),
 * {@link LedgerConnections} (connections, transactions, together blocks), {@link RunWrites}, {@link RunReads} and
 * {@link ScheduleFireRecords}.
 */
public final class Ledger implements RunLedger, AutoCloseable {
    private final LedgerConnections db;
    private final RunWrites writes;
    private final RunReads reads;
    private final ScheduleFireRecords fires;

    private Ledger(LedgerConnections db) {
        this.db = db;
        this.writes = new RunWrites(db);
        this.reads = new RunReads(db);
        this.fires = new ScheduleFireRecords(db);
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
        return new Ledger(new LedgerConnections(LedgerOpening.forWrites(settings, poolSize), settings.checkpointsEachCommit()));
    }

    /**
     * As {@link #open(LedgerSettings, int)}, on a thread of its own: answers at once, and the ledger's first use waits
     * for the open (an H2 file's lock protocol, the pool, the schema) and throws what it failed with. For a command's
     * start-up, which starts Camel meanwhile; {@link #awaitOpen} is where it learns the open's outcome.
     */
    public static Ledger openAside(LedgerSettings settings, int poolSize) {
        return new Ledger(LedgerConnections.openedAside(() -> LedgerOpening.forWrites(settings, poolSize),
                settings.checkpointsEachCommit()));
    }

    /** Waits for an {@link #openAside} open to end, and throws what it failed with; at once for {@link #open}. */
    public void awaitOpen() {
        db.dataSource();
    }

    /**
     * The ledger for commands that only read it (`runs`, `show`): a small pool, no migration, no Flyway unless the
     * schema history is one {@link LedgerSchema} cannot vouch for. Empty when nothing has been recorded yet (no schema: a
     * writing process creates it); no ledger file at all is a {@link NoLedger}, and a schema older than this jobpilot's
     * is a one-line error, since only a writing process may migrate it. Neither creates anything. A shared H2 file that
     * no process holds is opened read-only ({@link H2SharedRead}), which keeps writers out until this ledger closes:
     * open it for a read and close it.
     */
    public static Optional<Ledger> openReadOnly(LedgerSettings settings) {
        return LedgerOpening.forReads(settings).map(ds -> new Ledger(new LedgerConnections(ds, false)));
    }

    /** See {@link LedgerOpening#whileServerExits}: work on an H2 file made again while its serving process exits. */
    public static <T> T whileServerExits(Supplier<T> open) {
        return LedgerOpening.whileServerExits(open);
    }

    /** Crash testing only: halt the process right after the named records (see {@link CrashPoints}). */
    public void crashAfter(CrashPoints points) {
        db.crashAfter(points);
    }

    public DataSource dataSource() {
        return db.dataSource();
    }

    // ---- writes -------------------------------------------------------------------------------------------

    /** A second process inserting the same run id at the same time gets {@link AlreadyRecorded} (a duplicate key). */
    @Override
    public void insert(Run run) {
        writes.insert(run);
    }

    @Override
    public void state(Run run, String state, String detail) {
        writes.state(run, state, detail);
    }

    public void remoteId(Run run, String name, String value) {
        writes.remoteId(run, name, value);
    }

    @Override
    public void stepDone(Run run, String step) {
        writes.stepDone(run, step, null);
    }

    @Override
    public void stepDone(Run run, String step, String detail) {
        writes.stepDone(run, step, detail);
    }

    @Override
    public void forgetStep(Run run, String step) {
        writes.forgetStep(run, step);
    }

    @Override
    public void reopen(Run run, String detail) {
        writes.reopen(run, detail);
    }

    public void progress(Run run) {
        writes.progress(run);
    }

    /**
     * The run's end, and (with a notify URL) its completion notification in the outbox, in one transaction: a crash
     * after this loses no notification, and none is queued for a run the ledger does not show as ended.
     */
    public void finish(Run run) {
        writes.finish(run, null);
    }

    /**
     * As {@link #finish(Run)}, by the run's owner: nothing is written ({@link RunTakenOver}) when {@code owner} no
     * longer holds the run or it has ended meanwhile (`jobpilot stop`), so a process presumed gone never writes its
     * outcome over the new owner's, nor a follower over a stop's.
     */
    @Override
    public void finish(Run run, RunOwner owner) {
        writes.finish(run, owner);
    }

    /**
     * The ledger writes {@code writes} makes (on this thread) commit as one: one commit, and on an H2 file
     * one write to the file, instead of one per statement. For records that belong together (a start's remote id,
     * its step and its new state). Nested blocks join the outer one; a failure rolls all of it back.
     */
    @Override
    public void together(Runnable writes) {
        db.together(writes);
    }

    // ---- serve mode: schedule fires (who follows a run, leases and adoption: RunOwnership) ----------------------

    public Optional<String> unfinishedRunOfSchedule(String schedule) {
        return fires.unfinishedRunOf(schedule);
    }

    /** Records what became of one schedule fire; false when that fire was already recorded (by this or another node). */
    public boolean recordFire(String schedule, Instant fireTime, String decision, String runId, String detail) {
        return fires.record(schedule, fireTime, decision, runId, detail);
    }

    public List<ScheduleFire> fires(String schedule) {
        return fires.of(schedule);
    }

    // ---- reads --------------------------------------------------------------------------------------------

    @Override
    public Optional<LedgerRun> find(String runId) {
        return reads.find(runId);
    }

    /** Newest first; null filters match everything. */
    public List<LedgerRun> list(String state, String workflow, int limit) {
        return reads.list(state, workflow, limit);
    }

    @Override
    public Optional<Notification> notification(String runId) {
        return reads.notification(runId);
    }

    /** Health probe: true when a connection can be had and answers. */
    public boolean isReachable() {
        return db.isReachable();
    }

    // ---- for the ledger's other tables (RunOwnership, NotifyOutbox, CallbackRecords) ---------------------------

    int update(String sql, Object... args) {
        return db.update(sql, args);
    }

    /** Reads; a write goes through {@link #update} or a {@link #together} block, which make it durable. */
    <T> T withConnection(LedgerConnections.Work<T> work) {
        return db.withConnection(work);
    }

    /** The first column of a query's rows, as text; at most {@code maxRows} of them (0: all). */
    List<String> strings(String sql, int maxRows, Object... args) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Sql.bind(ps, args);
                ps.setMaxRows(maxRows);
                List<String> values = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
                return values;
            }
        });
    }

    @Override
    public void close() {
        db.close();
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

        boolean duringHandover() {
            return duringHandover;
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
            SQLException root = cause == null ? null : Objects.requireNonNullElse(LedgerOpening.sqlCause(cause), cause);
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
         * before it serves it (an open ledger's file is a shared one, or this process would hold it), or the serving
         * process is shutting the database down as it exits (exclusive mode for that moment). Reading again is safe.
         */
        public boolean isConnectionLost() {
            return LedgerOpening.H2_CONNECTION_LOST.contains(errorCode) || errorCode == LedgerOpening.H2_DATABASE_ALREADY_OPEN
                    || errorCode == LedgerOpening.H2_EXCLUSIVE_MODE
                    || sqlState != null && sqlState.startsWith("08")
                    || getCause() instanceof SQLTransientConnectionException;
        }

        public boolean isDuplicateKey() {
            return sqlState != null && sqlState.startsWith("23");
        }
    }
}
