package io.jobpilot.ledger;

import com.zaxxer.hikari.HikariDataSource;
import io.jobpilot.ledger.Ledger.LedgerException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's connection pool and how work reaches it: one statement on a pooled connection, a transaction, or a
 * {@link #together} block whose writes (on this thread) commit as one. Crash points fire once what they name is
 * committed.
 */
final class LedgerConnections implements AutoCloseable {
    private final HikariDataSource dataSource;
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

    LedgerConnections(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    void crashAfter(CrashPoints points) {
        this.crashPoints = points;
    }

    int update(String sql, Object... args) {
        return withConnection(c -> Sql.update(c, sql, args));
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

    /** A read on a connection of its own (outside any {@link #together} block); a failure says {@code what} failed. */
    <T> T read(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.on(c);
        } catch (SQLException e) {
            throw new LedgerException(what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The ledger writes {@code writes} makes (on this thread) commit as one: one commit, and with H2's WRITE_DELAY=0
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
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    /** Health probe: true when a connection can be had and answers. */
    boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
