package io.jobpilot.serve;

import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.iics.TaskScript;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.ServeNodesTestSupport;
import io.jobpilot.support.TestHttp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two `jobpilot serve` nodes on one shared ledger (an H2 file served by AUTO_SERVER here; PostgreSQL in
 * {@link PostgresServeNodesTest}), each in its own JVM: what the nodes share goes through the ledger alone.
 */
class ServeNodesTest extends ServeNodesTestSupport {
    private static final String JOB = "pod/saas/api/v2/job";
    private static final String READS = "pod/saas/api/v2/activity/activity(Monitor|Log)";
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);

    @Test
    void aCallbackThatReachesTheOtherNodeWakesTheRunOnTheNodeThatFollowsIt() throws Exception {
        int portB = freePort();
        // a load balancer in front of the nodes that sends every callback to B; the backstop (10m) explains no read here
        String[] callbacks = {"--set", "jobpilot.callback.public-url=http://127.0.0.1:" + portB, "--set", "jobpilot.callback.tick=50ms",
                "--set", "jobpilot.callback.backstop-interval=10m"};
        Node a = start("node-a", callbacks);
        Node b = start("node-b", portB, callbacks);
        healthy(a);
        healthy(b);
        TaskScript task = TaskScript.create("0119CB0Z" + String.format("%012d", IDS.incrementAndGet())).phases(1, 2, 1);
        sandbox.iics().task(task);
        int sent = sandbox.iics().callbacksSent();

        startRun(a, "{\"workflow\":\"iics-job\",\"params\":{\"task-id\":\"" + task.taskId() + "\",\"task-type\":\"MTT\","
                + "\"callback\":\"true\"},\"runId\":\"cb-nodes\"}");

        await().atMost(Duration.ofSeconds(60)).until(() -> outcome("cb-nodes") != null);
        assertThat(outcome("cb-nodes")).isEqualTo("SUCCEEDED");
        assertThat(sandbox.journal().matching("POST", JOB).stream().filter(e -> e.body().contains(task.taskId())))
                .as("one start, whose callbackURL leads to B").singleElement()
                .satisfies(e -> assertThat(e.body()).contains("\"callbackURL\":\"http://127.0.0.1:" + portB + "/callbacks/iics/"));
        assertThat(sandbox.iics().callbacksSent() - sent).isEqualTo(1);
        List<Instant> received = receipts("cb-nodes");
        assertThat(received).as("B received and recorded the callback").hasSize(1);
        assertThat(holder("cb-nodes").node()).as("A followed the run to its end, B never took it").isEqualTo("node-a");
        assertThat(resumed("cb-nodes")).isFalse();
        List<RequestJournal.Entry> reads = sandbox.journal().all().stream().filter(e -> e.path().matches(READS))
                .filter(e -> e.path().endsWith("activityMonitor") || e.query().contains(task.taskId())).toList();
        assertThat(reads).as("A read the activity log only once the receipt was in the ledger: woken by it, not by a poll")
                .isNotEmpty().allSatisfy(e -> assertThat(e.at()).isAfterOrEqualTo(received.get(0).minusMillis(5)));
    }

    @Test
    void aStopSentToTheNodeThatDoesNotFollowTheRunStopsIt() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        healthy(a);
        healthy(b);
        sandbox.oneIntegrate().existingSession("Nodes/StopViaB", SessionScript.create().runningPolls(1000).task("t", 1));
        startRun(a, "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Nodes/StopViaB\"},\"runId\":\"stop-via-b\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.journal().count("GET", "results/Nodes/StopViaB/status") >= 2);

        HttpResponse<String> stop = TestHttp.send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.port()
                + "/api/runs/stop-via-b/stop")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcome("stop-via-b") != null);
        assertThat(outcome("stop-via-b")).isEqualTo("STOPPED");
        assertThat(sandbox.oneIntegrate().status("Nodes/StopViaB")).isEqualTo("Paused");
        assertThat(sandbox.journal().count("POST", "sessions/Nodes/StopViaB")).as("played once, paused once").isEqualTo(2);
        assertThat(holder("stop-via-b").node()).as("A kept the run; B only stopped its remote job").isEqualTo("node-a");
    }

    /** When each callback for the run was recorded (by whichever node received it). */
    private List<Instant> receipts(String runId) throws Exception {
        List<Instant> at = new ArrayList<>();
        try (Connection c = ledger.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("SELECT r.received_at "
                + "FROM jp_callback_receipt r JOIN jp_callback_token t ON r.token_hash = t.token_hash WHERE t.run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    at.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return at;
    }
}
