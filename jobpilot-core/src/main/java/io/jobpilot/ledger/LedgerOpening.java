package io.jobpilot.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobpilot.config.JobpilotConfig.ConfigException;
import io.jobpilot.ledger.Ledger.FileInUse;
import io.jobpilot.ledger.Ledger.LedgerException;
import io.jobpilot.ledger.Ledger.NoLedger;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.Secrets;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Opening the ledger's pool: for a writer with its schema created or migrated (Flyway), for a reader without either;
 * made again while the process serving an H2 file hands it over; a database that cannot be opened said in one line.
 */
final class LedgerOpening {
    /**
     * How long opens are made again while an H2 file passes between processes (its server exits, or a reader holds
     * it for the moment of its query), before the failure is the caller's; for a loaded host.
     */
    private static final Duration HANDOVER_WAIT = Duration.ofSeconds(10);
    /** Short pauses: a reader holds the file for a fraction of a second, and a writer must not keep missing the gaps. */
    private static final Duration HANDOVER_PAUSE = Duration.ofMillis(100);
    /** Flyway holds one connection while it reads the schema history on another. */
    private static final int READER_CONNECTIONS = 2;
    /** A reader whose connections broke with the exiting server gives up on them soon, and opens the ledger again. */
    private static final Duration READER_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** H2's error codes (org.h2.api.ErrorCode) for a file another process holds and for options it refuses together. */
    static final int H2_DATABASE_ALREADY_OPEN = 90020;
    /** H2's DATABASE_IS_IN_EXCLUSIVE_MODE: the process that served the file is shutting it down (H2ExitClose). */
    static final int H2_EXCLUSIVE_MODE = 90135;
    private static final int H2_FEATURE_NOT_SUPPORTED = 50100;
    /** H2's error code for a statement only an admin user may run (CHECKPOINT). */
    private static final int H2_ADMIN_RIGHTS_REQUIRED = 90040;
    /** H2's error code for a file that does not exist, opened with IFEXISTS=TRUE (a reader's URL). */
    private static final int H2_DATABASE_NOT_FOUND = 90146;
    /** H2's error code for a file it could not open, e.g. its lock file changed a moment ago ("recently modified"). */
    private static final int H2_ERROR_OPENING = 8000;
    /** H2's error codes for a database that closed (its serving process exits) or a connection that broke meanwhile. */
    static final Set<Integer> H2_CONNECTION_LOST = Set.of(90098, 90067, 90121);

    private LedgerOpening() {
    }

    /**
     * The pool of a process that writes: the schema is created or migrated first (Flyway), unless one query shows it
     * is at this jobpilot's version already.
     */
    static HikariDataSource forWrites(LedgerSettings settings, int poolSize) {
        return whileServerExits(() -> {
            HikariDataSource ds = pool(settings, settings.jdbcUrl(), poolSize, false);
            try {
                if (schema(ds).state() != LedgerSchema.State.CURRENT) {
                    LedgerMigrations.migrate(ds);
                }
                if (settings.checkpointsEachCommit()) {
                    requireCheckpointRights(ds, settings);
                }
            } catch (ConfigException e) {
                ds.close();
                throw e;
            } catch (RuntimeException e) {
                ds.close();
                throw failure(settings, e);
            }
            return ds;
        });
    }

    /** The pool of a command that only reads (see {@link Ledger#openReadOnly}); empty when no schema exists yet. */
    static Optional<DataSource> forReads(LedgerSettings settings) {
        return whileServerExits(() -> {
            DataSource ds = settings.isH2File() ? h2Readers(settings) : pool(settings, settings.existingJdbcUrl(), READER_CONNECTIONS, true);
            try {
                LedgerSchema.Look look = schema(ds);
                if (look.state() == LedgerSchema.State.UNKNOWN) {
                    look = LedgerMigrations.look(ds);
                }
                if (look.state() == LedgerSchema.State.NONE) {
                    LedgerConnections.close(ds);
                    return Optional.empty();
                }
                if (look.state() == LedgerSchema.State.OLDER) {
                    throw new ConfigException("the run ledger at " + Secrets.scrub(settings.url()) + " has schema version "
                            + look.version() + ", older than this jobpilot's; a `jobpilot run` or `serve` of "
                            + "this version migrates it");
                }
            } catch (ConfigException e) {
                LedgerConnections.close(ds);
                throw e;
            } catch (RuntimeException e) {
                LedgerConnections.close(ds);
                throw failure(settings, e);
            }
            return Optional.of(ds);
        });
    }

    /**
     * Opening (or reading) an H2 file that other processes share meets them passing it on now and then: the process
     * serving it exits, or a `jobpilot runs` holds it read-only for the moment of its query (see
     * {@link H2SharedRead}). The work is made again, and reaches the next server or opens the file itself. A migration
     * that broke off is not recorded as done, so making it again is safe; writes are not retried.
     */
    static <T> T whileServerExits(Supplier<T> open) {
        long deadline = System.nanoTime() + HANDOVER_WAIT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return open.get();
            } catch (LedgerException | FileInUse e) {
                boolean handover = e instanceof LedgerException l ? l.isConnectionLost() : ((FileInUse) e).duringHandover();
                if (!handover || System.nanoTime() > deadline) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** 0.1 s, 0.2 s ... then 0.5 s: a moment for the file's next holder to take it or let it go. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(HANDOVER_PAUSE.toMillis() * attempt, 5 * HANDOVER_PAUSE.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure(ErrorKind.LOCAL, "ledger", null, "interrupted while opening the run ledger");
        }
    }

    /**
     * Each commit is followed by a CHECKPOINT (see {@link LedgerConnections}), which H2 allows admin users only: a user
     * without the right is a configuration error now, not a failure of the first run's first write.
     */
    private static void requireCheckpointRights(DataSource ds, LedgerSettings settings) {
        try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            if (e.getErrorCode() == H2_ADMIN_RIGHTS_REQUIRED) {
                throw new ConfigException("jobpilot.db.username " + settings.username() + " is not an admin of the H2 ledger "
                        + Secrets.scrub(settings.url()) + ": jobpilot puts each commit on disk at once with H2's CHECKPOINT, "
                        + "which only an admin may run; use the user that created the file (sa by default), or add "
                        + ";WRITE_DELAY=0 to jobpilot.db.url (H2 then writes each commit itself, but compacts the file only "
                        + "when it closes)");
            }
            throw new LedgerException("cannot write the run ledger at " + Secrets.scrub(settings.url()) + ": " + e.getMessage(), e);
        }
    }

    private static LedgerSchema.Look schema(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return LedgerSchema.of(c);
        } catch (SQLException e) {
            throw new LedgerException("cannot read the run ledger's schema history: " + e.getMessage(), e);
        }
    }

    /**
     * A reader's connections to an H2 file (see {@link H2ReaderConnections}); of a shared file, by the way that never
     * serves it (see {@link H2SharedRead}).
     */
    private static DataSource h2Readers(LedgerSettings settings) {
        String url = settings.shared() ? H2SharedRead.url(settings) : settings.existingJdbcUrl();
        H2ServerAddress.bindTo(settings.bindAddress(), settings.shared());
        return new H2ReaderConnections(url, settings.username(), password(settings), servedBy(settings, url));
    }

    private static LedgerPool pool(LedgerSettings settings, String url, int poolSize, boolean readOnly) {
        if (settings.url().startsWith("jdbc:h2:")) {
            H2ServerAddress.bindTo(settings.bindAddress(), settings.isH2File() && settings.shared());
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setUsername(settings.username());
        cfg.setPassword(password(settings));
        cfg.setMaximumPoolSize(poolSize);
        cfg.setReadOnly(readOnly);
        cfg.setPoolName(readOnly ? "jobpilot-ledger-reader" : "jobpilot-ledger");
        cfg.setConnectionTimeout(readOnly ? READER_CONNECTION_TIMEOUT.toMillis() : 10_000);
        Connection served = servedBy(settings, url);
        try {
            return new LedgerPool(cfg, served);
        } catch (RuntimeException e) {
            closeQuietly(served);
            throw failure(settings, e);
        }
    }

    private static String password(LedgerSettings settings) {
        return settings.password() == null ? "" : settings.password();
    }

    /**
     * One connection is made directly first, so a database that cannot be opened is one SQLException here, said in one
     * line, rather than a pool-initialisation stack trace in the log. When it opened an H2 database in this process,
     * it is returned and stays open with the ledger's connections (the database is not closed and reopened in
     * between), which close it with the database ({@link H2ExitClose}); otherwise it is closed and this is null.
     */
    private static Connection servedBy(LedgerSettings settings, String url) {
        Connection first = null;
        try {
            first = DriverManager.getConnection(url, settings.username(), password(settings));
            Optional<Connection> served = settings.closedByLedger() ? H2ExitClose.leaveToLedger(first) : Optional.empty();
            if (served.isEmpty()) {
                first.close();
            }
            return served.orElse(null);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(first);
            throw failure(settings, e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // it failed to open the ledger already; that failure is the one reported
        }
    }

    /**
     * The ledger's Hikari pool, and on an H2 file this process opened the connection that opened it: closing the pool
     * closes the database with it ({@link H2ExitClose#close}), so the other processes using the file take it over
     * at once.
     */
    static final class LedgerPool extends HikariDataSource {
        private final Connection served;

        LedgerPool(HikariConfig cfg, Connection served) {
            super(cfg);
            this.served = served;
        }

        @Override
        public void close() {
            super.close();
            if (served != null) {
                H2ExitClose.close(served);
            }
        }
    }

    /**
     * Why the ledger cannot be opened, in one line. A file another process holds unshared, an option H2 refuses or
     * a URL no driver takes are configuration errors (exit 2); a lost connection stays a {@link LedgerException}, which
     * a reader may try again.
     */
    static RuntimeException failure(LedgerSettings settings, Throwable e) {
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
        if (sql != null && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN && settings.shared()
                && (cause.contains("Lock file exists") || saysAnywhere(e, "The file is locked"))) {
            // a reader's read-only open met a process that opened the file a moment ago, or an open met a reader
            // holding the file read-only for its query (see H2SharedRead)
            return new FileInUse(true, "the run ledger " + url + " was kept busy by other processes opening or reading it "
                    + "for " + HANDOVER_WAIT.toSeconds() + " s; try again");
        }
        if (sql != null && sql.getErrorCode() == H2_EXCLUSIVE_MODE && settings.shared()) {
            // connected through the server at the moment its process shut the database down as it exited: the file
            // is free a moment later
            return new FileInUse(true, "the run ledger " + url + " was being closed by the process that shared it, for "
                    + HANDOVER_WAIT.toSeconds() + " s; try again");
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

    /** The innermost SQLException of a cause chain: the one that carries the database's own error code. */
    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                SQLException deeper = sqlCause(t.getCause());
                return deeper != null ? deeper : s;
            }
        }
        return null;
    }

    private static boolean saysAnywhere(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
