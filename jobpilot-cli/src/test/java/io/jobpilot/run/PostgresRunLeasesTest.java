package io.jobpilot.run;

import io.jobpilot.support.TestPostgres;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The ownership rules of {@link RunLeasesTest} on PostgreSQL (the V5 columns and every conditional UPDATE). Runs when
 * JOBPILOT_TEST_PG_URL points at a server, like PostgresLedgerTest; each test gets a database of its own.
 */
@EnabledIfEnvironmentVariable(named = "JOBPILOT_TEST_PG_URL", matches = "jdbc:postgresql:.*")
class PostgresRunLeasesTest extends RunLeasesTest {
    @Override
    protected String ledgerUrl() throws Exception {
        return TestPostgres.newDatabase("jp_owner_");
    }
}
