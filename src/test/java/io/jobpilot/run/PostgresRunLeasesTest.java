package io.jobpilot.run;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The ownership rules of {@link RunLeasesTest} on PostgreSQL (the V5 columns and every conditional UPDATE). Runs when
 * JOBPILOT_TEST_PG_URL points at a server, like PostgresLedgerTest; each test gets a database of its own.
 */
@EnabledIfEnvironmentVariable(named = "JOBPILOT_TEST_PG_URL", matches = "jdbc:postgresql:.*")
class PostgresRunLeasesTest extends RunLeasesTest {
    @Override
    protected String ledgerUrl() throws Exception {
        String admin = System.getenv("JOBPILOT_TEST_PG_URL");
        String database = "jp_owner_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        int slash = admin.indexOf('/', "jdbc:postgresql://".length());
        int query = admin.indexOf('?');
        return admin.substring(0, slash + 1) + database + (query < 0 ? "" : admin.substring(query));
    }
}
