package io.jobpilot.ledger;

import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The ledger, not H2, closes an embedded H2 file at JVM exit. H2's own shutdown hook (DB_CLOSE_ON_EXIT) runs at the
 * same time as a host's (Spring Boot's closes Camel, and with it jobpilot) and closes the file first, so jobpilot's
 * last writes (releasing the notifications it holds) find "Database is already closed". DB_CLOSE_ON_EXIT=FALSE would
 * say this, but H2 refuses it together with AUTO_SERVER, which the sharing needs; so the database this process opened
 * is taken off H2's exit list instead, and {@link Ledger#close()} closes it. A JVM that exits without closing the
 * ledger leaves the file as a killed process does: committed work is on disk (each commit is checkpointed) and the
 * next process takes the file over.
 */
final class H2ExitClose {
    private static final Logger LOG = LoggerFactory.getLogger(H2ExitClose.class);

    private H2ExitClose() {
    }

    /** When {@code connection} opened the H2 database in this process (not through another's server). */
    static void leaveToLedger(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)
                || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
            return;
        }
        Database database = local.getDatabase();
        try {
            Method unregister = Class.forName("org.h2.engine.OnExitDatabaseCloser").getDeclaredMethod("unregister", Database.class);
            unregister.setAccessible(true);
            unregister.invoke(null, database);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // an H2 without this internal: its hook stays, and a host's shutdown may again see the file closed early
            LOG.debug("H2's exit hook stays in charge of the ledger file: {}", e.toString());
        }
    }
}
