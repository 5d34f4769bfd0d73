package io.jobpilot.serve;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Outcome;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A `jobpilot serve` node killed with -9 in the middle of an API run: its runs are resumed (never started again) by the
 * node restarted with the same node identity within 20 s of becoming healthy, by another node on this host at once,
 * and by any other node once the dead node's lease lapses (within 30 s with the default lease and scan period).
 */
class ServeRestartTest extends JobpilotTestSupport {
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Process> nodes = new ArrayList<>();
    /** Opened before any node: this JVM serves the H2 file (AUTO_SERVER), so a killed node does not take it away. */
    private Ledger ledger;

    @BeforeEach
    void openLedger() {
        ledger = Ledger.open(dbUrl(), "sa", "", 2);
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (Process p : nodes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                kill9(p);
            }
        }
        ledger.close();
    }

    /**
     * A serve node in its own JVM on {@code port}, healthy; its lease is two minutes (no run is adopted because a lease
     * lapsed) unless {@code extra} says otherwise ("jobpilot.serve.lease=": the default).
     */
    private Process node(String log, int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--set", "jobpilot.server.port=" + port, "--set", "jobpilot.serve.lease=2m"));
        args.addAll(List.of(extra));
        Process p = childJvm(log, args.toArray(String[]::new));
        nodes.add(p);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(port, "/observe/health").statusCode() == 200);
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Starts an API run on the node at {@code port} and waits until its session is being followed. */
    private void startRun(int port, String path, String runId) throws Exception {
        sandbox.oneIntegrate().existingSession(path, SessionScript.create().runningPolls(120).task("t", 20));
        HttpResponse<String> started = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"" + path + "\"},\"runId\":\"" + runId + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.journal().count("GET", "results/" + path + "/status") >= 3);
    }

    /** As if the node's process had run on another machine (a new container, a moved VM): its pid tells nothing here. */
    private void ownerWasOnAnotherHost(String runId) throws Exception {
        try (Connection c = ledger.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE jp_run SET owner_host = 'host-before-restart' WHERE run_id = ?")) {
            ps.setString(1, runId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /** Who holds the run now, as the ledger says. */
    private io.jobpilot.run.RunOwner holder(String runId) {
        return new io.jobpilot.ledger.RunOwnership(ledger).holder(runId).orElseThrow().owner();
    }

    private boolean resumed(String runId) {
        return ledger.find(runId).orElseThrow().events().stream().anyMatch(e -> e.state().equals("RESUMED"));
    }

    private void assertFinishedOnce(String runId, String path) {
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.find(runId).orElseThrow().result().outcome() != null);
        assertThat(ledger.find(runId).orElseThrow().result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sandbox.journal().count("POST", "sessions/" + path)).as("the session was played once").isEqualTo(1);
    }

    @Test
    void aNodeRestartedWithItsNodeIdentityTakesItsRunsBackWithin20sOfBecomingHealthy() throws Exception {
        int port = freePort();
        Process first = node("first.log", port);
        startRun(port, "Restart/SameNode", "node-1");
        kill9(first);
        ownerWasOnAnotherHost("node-1");

        Process restarted = node("restarted.log", port);   // the same port: the same default node identity (host:port)

        await().atMost(Duration.ofSeconds(20)).until(() -> resumed("node-1"));
        assertThat(holder("node-1").pid()).isEqualTo(restarted.pid());
        assertThat(holder("node-1").node()).isEqualTo(io.jobpilot.run.RunOwner.hostName() + ":" + port);
        assertFinishedOnce("node-1", "Restart/SameNode");
    }

    @Test
    void aDeadNodesRunsAreAdoptedAtOnceByAnotherNodeOnItsHost() throws Exception {
        int port = freePort();
        Process first = node("first.log", port);
        startRun(port, "Restart/DeadProcess", "node-2");
        kill9(first);

        Process other = node("other.log", freePort(), "--set", "jobpilot.server.node-id=other-node");

        await().atMost(Duration.ofSeconds(20)).until(() -> resumed("node-2"));
        assertThat(holder("node-2").pid()).isEqualTo(other.pid());
        assertFinishedOnce("node-2", "Restart/DeadProcess");
    }

    @Test
    void aDeadNodeElsewhereHasItsRunsAdoptedWithin30sWithTheDefaultLease() throws Exception {
        int port = freePort();
        Process first = node("first.log", port, "--set", "jobpilot.serve.lease=");
        startRun(port, "Restart/Lapsed", "node-3");
        kill9(first);
        ownerWasOnAnotherHost("node-3");

        Process other = node("other.log", freePort(), "--set", "jobpilot.server.node-id=other-node", "--set", "jobpilot.serve.lease=");

        await().atMost(Duration.ofSeconds(30)).until(() -> resumed("node-3"));
        assertThat(holder("node-3").node()).isEqualTo("other-node");
        assertThat(holder("node-3").pid()).isEqualTo(other.pid());
        assertFinishedOnce("node-3", "Restart/Lapsed");
    }
}
