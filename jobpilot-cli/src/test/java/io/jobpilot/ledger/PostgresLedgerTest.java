package io.jobpilot.ledger;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import io.jobpilot.support.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ledger, its migrations and Quartz's clustered job store on PostgreSQL. Runs when JOBPILOT_TEST_PG_URL points at a
 * server (e.g. jdbc:postgresql://127.0.0.1:55432/postgres?user=jobpilot); .ci/run starts one when PostgreSQL is installed.
 */
@EnabledIfEnvironmentVariable(named = "JOBPILOT_TEST_PG_URL", matches = "jdbc:postgresql:.*")
class PostgresLedgerTest extends JobpilotTestSupport {
    private String url;

    @BeforeEach
    void freshDatabase() throws Exception {
        url = TestPostgres.newDatabase("jp_test_");
    }

    @Override
    protected String dbUrl() {
        return url;
    }

    @Test
    void aRunIsRecordedAndReadBackFromPostgres() throws Exception {
        sandbox.oneIntegrate().existingSession("Pg/Run", SessionScript.create().runningPolls(1).task("t", 1200));
        Cli run = jobpilot("run", "oneintegrate-session", "-p", "path=Pg/Run", "--run-id", "pg-1", "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Cli show = jobpilot("show", "pg-1", "--json");
        assertThat(show.json().path("run").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(show.json().path("steps").toString()).contains("played", "task:t");
        try (Connection c = DriverManager.getConnection(dbUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void schedulesFireFromQuartzsClusteredJobStoreInPostgres() throws Exception {
        sandbox.oneIntegrate().existingSession("Pg/Scheduled", SessionScript.create().runningPolls(0).task("t", 5));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> props = new LinkedHashMap<>(testProperties());
        props.put("jobpilot.server.port", String.valueOf(port));
        props.put("jobpilot.schedules.pg.cron", "* * * * * ?");
        props.put("jobpilot.schedules.pg.workflow", "oneintegrate-session");
        props.put("jobpilot.schedules.pg.params.path", "Pg/Scheduled");
        try (JobpilotRuntime serve = JobpilotRuntime.serve(JobpilotConfig.of(props),
                new Progress(Progress.Mode.OFF, new PrintWriter(new StringWriter())))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> serve.beans().ledger().list("SUCCEEDED", null, 5).stream()
                    .anyMatch(r -> r.result().runId().startsWith("pg-")));
        }
        try (Connection c = DriverManager.getConnection(dbUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM qrtz_triggers WHERE trigger_name LIKE '%pg%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
