package io.jobpilot.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server of the tests that need one: JOBPILOT_TEST_PG_URL (e.g.
 * jdbc:postgresql://127.0.0.1:55432/postgres?user=jobpilot; .ci/run starts one), and a fresh database on it per test.
 */
public final class TestPostgres {
    public static final String URL_VARIABLE = "JOBPILOT_TEST_PG_URL";

    private TestPostgres() {
    }

    /** Creates a database named {@code prefix} plus a unique suffix; answers its JDBC URL (the server's, other database). */
    public static String newDatabase(String prefix) throws SQLException {
        String admin = System.getenv(URL_VARIABLE);
        String database = prefix + System.nanoTime();
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        int slash = admin.indexOf('/', "jdbc:postgresql://".length());
        int query = admin.indexOf('?');
        return admin.substring(0, slash + 1) + database + (query < 0 ? "" : admin.substring(query));
    }
}
