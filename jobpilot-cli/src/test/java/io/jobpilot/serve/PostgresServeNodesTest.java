package io.jobpilot.serve;

import io.jobpilot.ledger.ScheduleFire;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several `jobpilot serve` nodes on one PostgreSQL ledger, as users run them when one node is not enough: Quartz
 * clustered in the same database, leases on runs, callbacks through the ledger (the tests of {@link ServeNodesTest} run
 * here too). Each node is a JVM of its own with the default lease (20 s) and renewal (5 s). Runs when
 * JOBPILOT_TEST_PG_URL points at a server (.ci/run starts one); each test gets a database of its own.
 */
@EnabledIfEnvironmentVariable(named = TestPostgres.URL_VARIABLE, matches = "jdbc:postgresql:.*")
class PostgresServeNodesTest extends ServeNodesTest {
    private String url;

    @Override
    protected String dbUrl() {
        if (url == null) {
            try {
                url = TestPostgres.newDatabase("jp_nodes_");
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the test database: " + e.getMessage(), e);
            }
        }
        return url;
    }

    @Test
    void eachFireOfAScheduleStartsOneRunAcrossTheNodes() throws Exception {
        sandbox.oneIntegrate().existingSession("Nodes/Scheduled", SessionScript.create().runningPolls(1).task("t", 5));
        // fires every second for 8 seconds, once both nodes have had time to start (a window within one minute)
        ZonedDateTime soon = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(40).truncatedTo(ChronoUnit.SECONDS);
        ZonedDateTime first = soon.getSecond() > 52 ? soon.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1) : soon;
        ZonedDateTime last = first.plusSeconds(7);
        String cron = first.getSecond() + "-" + last.getSecond() + " " + first.getMinute() + " " + first.getHour() + " "
                + first.getDayOfMonth() + " " + first.getMonthValue() + " ? " + first.getYear();
        String[] schedule = {"--set", "jobpilot.schedules.nodes.cron=" + cron, "--set", "jobpilot.schedules.nodes.workflow=oneintegrate-session",
                "--set", "jobpilot.schedules.nodes.params.path=Nodes/Scheduled", "--set", "jobpilot.schedules.nodes.time-zone=UTC",
                "--set", "jobpilot.schedules.nodes.misfire=skip"};
        Node a = start("node-a", schedule);
        Node b = start("node-b", schedule);
        healthy(a);
        healthy(b);
        assertThat(Instant.now()).as("both nodes are up before the first fire").isBefore(first.toInstant());

        // the window is over once Quartz has nothing left to fire of the schedule and its last run has ended
        await().atMost(Duration.ofSeconds(90)).until(() -> scheduleCompleted() && ledger.unfinishedRunOfSchedule("nodes").isEmpty());

        List<ScheduleFire> fires = ledger.fires("nodes");
        assertThat(fires).as("every fire of the window, each recorded once").extracting(ScheduleFire::fireTime)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, 7).mapToObj(i -> first.toInstant().plusSeconds(i)).toList());
        List<String> started = fires.stream().filter(f -> f.decision().equals("STARTED")).map(ScheduleFire::runId).toList();
        assertThat(started).as("a fire is skipped only while the previous run goes on").isNotEmpty()
                .hasSize((int) fires.stream().filter(f -> !f.decision().equals("SKIPPED_OVERLAP")).count());
        Map<String, String> runs = scheduleRuns("nodes");
        assertThat(runs.keySet()).as("one run per started fire, and no other").containsExactlyInAnyOrderElementsOf(started);
        assertThat(runs.values()).as("run by the nodes").allMatch(n -> n.equals("node-a") || n.equals("node-b"));
        assertThat(started).allSatisfy(id -> assertThat(outcome(id)).isEqualTo("SUCCEEDED"));
        assertThat(sandbox.journal().count("POST", "sessions/Nodes/Scheduled")).as("one session played per run").isEqualTo(started.size());
    }

    /** Quartz (clustered, in the ledger database) has no fire left of the schedule, and none under way. */
    private boolean scheduleCompleted() throws SQLException {
        try (Connection c = ledger.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT (SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'nodes' AND trigger_state <> 'COMPLETE')"
                        + " + (SELECT count(*) FROM qrtz_fired_triggers WHERE trigger_name = 'nodes')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1) == 0;
        }
    }

    /** The schedule's runs, each with the node that opened it. */
    private Map<String, String> scheduleRuns(String schedule) throws SQLException {
        Map<String, String> runs = new LinkedHashMap<>();
        try (Connection c = ledger.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT run_id, owner_node FROM jp_run WHERE schedule_name = ? ORDER BY created_at")) {
            ps.setString(1, schedule);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return runs;
    }

    @Test
    void runsStartedThroughAnyNodeAreFollowedByOneNodeAtATimeAndADeadNodesRunsAreAdoptedOnceWithin30s() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        Node c = start("node-c");
        healthy(a);
        healthy(b);
        healthy(c);
        sandbox.oneIntegrate().existingSession("Nodes/ViaA", SessionScript.create().runningPolls(100).task("t", 20));
        sandbox.oneIntegrate().existingSession("Nodes/ViaB", SessionScript.create().runningPolls(100).task("t", 20));
        startRun(a, "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Nodes/ViaA\"},\"runId\":\"via-a\"}");
        startRun(b, "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Nodes/ViaB\"},\"runId\":\"via-b\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> statusPolls("Nodes/ViaA").size() >= 3 && statusPolls("Nodes/ViaB").size() >= 3);
        assertThat(holder("via-a").node()).isEqualTo("node-a");
        assertThat(holder("via-b").node()).isEqualTo("node-b");
        ownerOnAnotherHost("via-a");   // B and C wait for A's lease to lapse, as on other machines

        kill9(a.process());

        await().atMost(Duration.ofSeconds(30)).until(() -> resumed("via-a"));
        String adopter = holder("via-a").node();
        assertThat(adopter).isIn("node-b", "node-c");
        await().atMost(Duration.ofSeconds(60)).until(() -> outcome("via-a") != null && outcome("via-b") != null);
        assertThat(outcome("via-a")).isEqualTo("SUCCEEDED");
        assertThat(outcome("via-b")).isEqualTo("SUCCEEDED");
        assertThat(sandbox.journal().count("POST", "sessions/Nodes/ViaA")).as("no second remote start").isEqualTo(1);
        assertThat(sandbox.journal().count("POST", "sessions/Nodes/ViaB")).isEqualTo(1);
        // each node has its own 1Integrate token: the status polls show who polled, one node after the other
        List<String> pollersA = pollers("Nodes/ViaA");
        List<String> pollersB = pollers("Nodes/ViaB");
        assertThat(pollersA).as("A polled, then the adopter alone").hasSize(2);
        assertThat(pollersB).as("B alone followed its run").hasSize(1);
        assertThat(pollersA.get(0)).isNotEqualTo(pollersB.get(0));
        assertThat(pollersA.get(1).equals(pollersB.get(0))).as("the adopter (%s) polled with its own token", adopter)
                .isEqualTo(adopter.equals("node-b"));
    }

    private List<RequestJournal.Entry> statusPolls(String path) {
        return sandbox.journal().matching("GET", "results/" + path + "/status");
    }

    /** The tokens the session's status polls carried, in order, each run of polls with one token counted once. */
    private List<String> pollers(String path) {
        List<String> blocks = new ArrayList<>();
        for (RequestJournal.Entry e : statusPolls(path)) {
            if (blocks.isEmpty() || !blocks.get(blocks.size() - 1).equals(e.authorization())) {
                blocks.add(e.authorization());
            }
        }
        return blocks;
    }
}
