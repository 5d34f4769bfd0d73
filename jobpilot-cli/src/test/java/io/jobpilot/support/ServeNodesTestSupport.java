package io.jobpilot.support;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.ledger.RunOwnership;
import io.jobpilot.run.RunOwner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
 * Base of the tests of several `jobpilot serve` nodes on one ledger: each node a child JVM (it can be killed with -9) on
 * its own port with its own node identity, all on this test's ledger ({@link #dbUrl()}: an H2 file here, a PostgreSQL
 * database in subclasses), which the test reads through {@link #ledger}.
 */
public abstract class ServeNodesTestSupport extends JobpilotTestSupport {
    protected final HttpClient client = TestHttp.client();
    private final List<Process> nodes = new ArrayList<>();
    /** Opened before any node: on H2 this JVM then serves the file (AUTO_SERVER), so a killed node does not take it away. */
    protected Ledger ledger;

    /** A serve node as it runs: its process and port. */
    public record Node(Process process, int port) {
    }

    @BeforeEach
    void openLedger() {
        ledger = Ledger.open(dbUrl(), "sa", "", 2);
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (Process p : nodes) {
            p.destroy();
        }
        for (Process p : nodes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                kill9(p);
            }
        }
        ledger.close();
    }

    /** Starts a serve node named {@code id} in its own JVM on a free port, with {@code extra} (--set ...) arguments. */
    protected Node start(String id, String... extra) throws Exception {
        return start(id, freePort(), extra);
    }

    /** As {@link #start(String, String...)}, on {@code port} (one another node's configuration names). */
    protected Node start(String id, int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--set", "jobpilot.server.node-id=" + id));
        args.addAll(List.of(extra));
        return startWithDefaultIdentity(id + ".log", port, args.toArray(String[]::new));
    }

    /** A serve node with the default node identity (this host and its port), its output in {@code log}. */
    protected Node startWithDefaultIdentity(String log, int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--set", "jobpilot.server.port=" + port));
        args.addAll(List.of(extra));
        Process p = childJvm(log, args.toArray(String[]::new));
        nodes.add(p);
        return new Node(p, port);
    }

    /** Waits until the node answers /observe/health with 200. */
    protected Node healthy(Node node) {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> get(node, "/observe/health").statusCode() == 200);
        return node;
    }

    protected static int freePort() {
        return FreePorts.forServer();
    }

    protected HttpResponse<String> get(Node node, String path) throws Exception {
        return TestHttp.send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST /api/runs on the node: 202 expected. */
    protected void startRun(Node node, String json) throws Exception {
        HttpResponse<String> r = TestHttp.send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/runs"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /** Who holds the run now, as the ledger says. */
    protected RunOwner holder(String runId) {
        return new RunOwnership(ledger).holder(runId).orElseThrow().owner();
    }

    /** The run's outcome in the ledger (null while it goes on). */
    protected String outcome(String runId) {
        return ledger.find(runId).map(r -> r.result().outcome() == null ? null : r.result().outcome().name()).orElse(null);
    }

    protected boolean resumed(String runId) {
        return ledger.find(runId).orElseThrow().events().stream().anyMatch(e -> e.state().equals("RESUMED"));
    }

    /**
     * As if the run's owner had run on another machine: its pid tells this host nothing, so another node adopts the run
     * only once the lease lapses, as it would across machines.
     */
    protected void ownerOnAnotherHost(String runId) throws Exception {
        try (Connection c = ledger.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE jp_run SET owner_host = 'another-machine' WHERE run_id = ?")) {
            ps.setString(1, runId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
