package io.jobpilot.ledger;

import com.zaxxer.hikari.HikariDataSource;
import io.jobpilot.ledger.Ledger.LedgerException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The ledger's connection pool and how work reaches it: one statement on a pooled connection, a transaction, or a
 * {@link #together} block whose writes (on this thread) commit as one. Every commit is on disk before the caller goes
 * on (see {@link #durable}). Crash points fire once what they name is committed.
 */
final class LedgerConnections implements AutoCloseable {
    /** Done at once, or while an {@link #openedAside} open runs: the first use waits for it. */
    private final CompletableFuture<DataSource> dataSource;
    /** Null when commits are on disk without a CHECKPOINT. */
    private final GroupCheckpoint checkpoints;
    private volatile CrashPoints crashPoints = CrashPoints.NONE;
    /** The connection of this thread's {@link #together} block, whose writes commit as one. */
    private final ThreadLocal<Batch> batch = new ThreadLocal<>();

    private record Batch(Connection connection, List<Runnable> afterCommit) {
    }

    /** Database work on one pooled connection. */
    interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /** Database work that commits as a whole or not at all. */
    interface Transaction {
        void on(Connection c) throws SQLException;
    }

    /** {@code checkpointEachCommit}: see {@link LedgerSettings#checkpointsEachCommit()}. */
    LedgerConnections(DataSource dataSource, boolean checkpointEachCommit) {
        this(CompletableFuture.completedFuture(dataSource), checkpointEachCommit);
    }

    private LedgerConnections(CompletableFuture<DataSource> dataSource, boolean checkpointEachCommit) {
        this.dataSource = dataSource;
        this.checkpoints = checkpointEachCommit ? new GroupCheckpoint(LedgerConnections::checkpoint) : null;
    }

    /** The connections {@code open} makes, made on a thread of its own; see {@link Ledger#openAside}. */
    static LedgerConnections openedAside(Supplier<DataSource> open, boolean checkpointEachCommit) {
        return new LedgerConnections(CompletableFuture.supplyAsync(open, task -> {
            Thread opener = new Thread(task, "jobpilot-ledger-open");
            opener.setDaemon(true);
            opener.start();
        }), checkpointEachCommit);
    }

    /** The connections, once opened; an open that failed throws what it failed with, at every use. */
    DataSource dataSource() {
        try {
            return dataSource.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    void crashAfter(CrashPoints points) {
        this.crashPoints = points;
    }

    int update(String sql, Object... args) {
        return write(c -> Sql.update(c, sql, args));
    }

    /** Writes on one pooled connection (auto-commit), on disk when this returns; part of a {@link #together} block in one. */
    <T> T write(Work<T> work) {
        if (batch.get() != null) {
            return withConnection(work);
        }
        return withConnection(c -> {
            T result = work.on(c);
            durable(c);
            return result;
        });
    }

    /**
     * What {@code c} committed is written to the file now. An H2 file's background writer (on unless the URL sets
     * WRITE_DELAY=0) writes commits at its next turn, up to WRITE_DELAY later, and it is also what compacts the file;
     * a CHECKPOINT writes them at once, so a process killed after a commit has lost nothing it recorded, as with
     * WRITE_DELAY=0. Commits made meanwhile share one CHECKPOINT ({@link GroupCheckpoint}). Nothing to do for other
     * databases.
     */
    private void durable(Connection c) throws SQLException {
        if (checkpoints != null) {
            checkpoints.afterCommit(c);
        }
    }

    private static void checkpoint(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    <T> T withConnection(Work<T> work) {
        Batch open = batch.get();
        try {
            if (open != null) {
                return work.on(open.connection());
            }
            try (Connection c = dataSource().getConnection()) {
                return work.on(c);
            }
        } catch (SQLException e) {
            throw new LedgerException("the run ledger failed: " + e.getMessage(), e);
        }
    }

    /** A read on a connection of its own (outside any {@link #together} block); a failure says {@code what} failed. */
    <T> T read(String what, Work<T> work) {
        try (Connection c = dataSource().getConnection()) {
            return work.on(c);
        } catch (SQLException e) {
            throw new LedgerException(what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The ledger writes {@code writes} makes (on this thread) commit as one: one commit, and on an H2 file
     * one write to the file, instead of one per statement. Nested blocks join the outer one; a failure rolls all of it
     * back.
     */
    void together(Runnable writes) {
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
                durable(c);
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
    void crashAfter(String kind, String name) {
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
                durable(c);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    /** Health probe: true when a connection can be had and answers; false too when the ledger could not be opened. */
    boolean isReachable() {
        try (Connection c = dataSource().getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        DataSource opened;
        try {
            opened = dataSource();
        } catch (RuntimeException openFailed) {
            return;                                        // nothing was opened, so nothing is left to close
        }
        close(opened);
    }

    /** Closes the connections: Hikari's pool, or an H2 file reader's ({@link H2ReaderConnections}). */
    static void close(DataSource connections) {
        if (connections instanceof HikariDataSource hikari) {
            hikari.close();
        } else if (connections instanceof H2ReaderConnections readers) {
            readers.close();
        }
    }
}
