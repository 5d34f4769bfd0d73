package io.jobpilot.ledger;

import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;

/**
 * The ledger, not H2, closes an embedded H2 file at JVM exit. H2's own shutdown hook (DB_CLOSE_ON_EXIT) runs at the
 * same time as a host's (Spring Boot's closes Camel, and with it jobpilot) and closes the file first, so jobpilot's
 * last writes (releasing the notifications it holds) find "Database is already closed". DB_CLOSE_ON_EXIT=FALSE would
 * say this, but H2 refuses it together with AUTO_SERVER, which the sharing needs; so the database this process opened
 * is taken off H2's exit list instead, and {@link Ledger#close()} closes it.
 * <p>
 * It closes it as H2's hook would, with SHUTDOWN, which also ends the sessions other processes hold through the file's
 * embedded server and deletes the lock file. Closing only this process's connections would leave the database open
 * for those sessions until the JVM exits, and the lock file stale: every process using the file would then wait in
 * H2's lock-file protocol for seconds, racing the others for it. When something else in this JVM still uses the
 * database (Quartz's pool, another ledger), the database is left to it, and back on H2's exit list. A JVM that exits
 * without closing the ledger leaves the file as a killed process does: committed work is on disk (each commit is
 * checkpointed) and the next process takes the file over.
 */
final class H2ExitClose {
    private H2ExitClose() {
    }

    /**
     * When {@code connection} opened the H2 database in this process (not through another's server), the database is
     * left to the ledger to close and the connection is what it closes it with (see {@link #close}); else empty.
     */
    static Optional<Connection> leaveToLedger(Connection connection) throws SQLException {
        Optional<SessionLocal> local = localSession(connection);
        local.ifPresent(session -> exitList("unregister", session.getDatabase()));
        return local.map(session -> connection);
    }

    /**
     * Closes the database {@code served} opened, once this process's ledger connections are closed: with SHUTDOWN when
     * only other processes' sessions remain in it, else by closing {@code served} alone. A user who may not SHUTDOWN
     * (H2 allows admins only) closes just its connection.
     */
    static void close(Connection served) {
        try (served) {
            Optional<SessionLocal> mine = localSession(served);
            if (mine.isEmpty() || mine.get().isClosed()) {
                return;
            }
            Database database = mine.get().getDatabase();
            boolean usedHere = Arrays.stream(database.getSessions(false))
                    .anyMatch(s -> s != mine.get() && !s.isClosed() && s.getNetworkConnectionInfo() == null);
            if (usedHere) {
                exitList("register", database);
                return;
            }
            try (Statement s = served.createStatement()) {
                s.execute("SHUTDOWN");
            }
        } catch (SQLException e) {
            // closed already, or this user is no admin: the other processes take the file over from its lock file
            log().debug("the ledger file was not shut down: {}", e.getMessage());
        }
    }

    /** Asked for only when there is something to say: a `jobpilot runs` starts no logging for a file it closes. */
    private static Logger log() {
        return LoggerFactory.getLogger(H2ExitClose.class);
    }

    private static Optional<SessionLocal> localSession(Connection connection) throws SQLException {
        return connection.isWrapperFor(JdbcConnection.class)
                && connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local
                ? Optional.of(local) : Optional.empty();
    }

    /** H2's exit list of databases it closes when the JVM exits: {@code change} is register or unregister. */
    private static void exitList(String change, Database database) {
        try {
            Method method = Class.forName("org.h2.engine.OnExitDatabaseCloser").getDeclaredMethod(change, Database.class);
            method.setAccessible(true);
            method.invoke(null, database);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // an H2 without this internal: its hook stays, and a host's shutdown may again see the file closed early
            log().debug("H2's exit list of the ledger file unchanged ({}): {}", change, e.toString());
        }
    }
}
