package io.jobpilot.serve;

import io.jobpilot.run.Outcome;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.ServeNodesTestSupport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A `jobpilot serve` node killed with -9 in the middle of an API run: its runs are resumed (never started again) by the
 * node restarted with the same node identity within 20 s of becoming healthy, by another node on this host at once,
 * and by any other node once the dead node's lease lapses (within 30 s with the default lease and scan period).
 */
class ServeRestartTest extends ServeNodesTestSupport {
    /**
     * A serve node in its own JVM on {@code port}, healthy; its lease is two minutes (no run is adopted because a lease
     * lapsed) unless {@code extra} says otherwise ("jobpilot.serve.lease=": the default).
     */
    private Node node(String log, int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--set", "jobpilot.serve.lease=2m"));
        args.addAll(List.of(extra));
        return healthy(startWithDefaultIdentity(log, port, args.toArray(String[]::new)));
    }

    /** Starts an API run on the node and waits until its session is being followed. */
    private void startRun(Node node, String path, String runId) throws Exception {
        sandbox.oneIntegrate().existingSession(path, SessionScript.create().runningPolls(120).task("t", 20));
        startRun(node, "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"" + path + "\"},\"runId\":\""
                + runId + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.journal().count("GET", "results/" + path + "/status") >= 3);
    }

    private void assertFinishedOnce(String runId, String path) {
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.find(runId).orElseThrow().result().outcome() != null);
        assertThat(ledger.find(runId).orElseThrow().result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sandbox.journal().count("POST", "sessions/" + path)).as("the session was played once").isEqualTo(1);
    }

    @Test
    void aNodeRestartedWithItsNodeIdentityTakesItsRunsBackWithin20sOfBecomingHealthy() throws Exception {
        int port = freePort();
        Node first = node("first.log", port);
        startRun(first, "Restart/SameNode", "node-1");
        kill9(first.process());
        ownerOnAnotherHost("node-1");

        Node restarted = node("restarted.log", port);   // the same port: the same default node identity (host:port)

        await().atMost(Duration.ofSeconds(20)).until(() -> resumed("node-1"));
        assertThat(holder("node-1").pid()).isEqualTo(restarted.process().pid());
        assertThat(holder("node-1").node()).isEqualTo(io.jobpilot.run.RunOwner.hostName() + ":" + port);
        assertFinishedOnce("node-1", "Restart/SameNode");
    }

    @Test
    void aDeadNodesRunsAreAdoptedAtOnceByAnotherNodeOnItsHost() throws Exception {
        int port = freePort();
        Node first = node("first.log", port);
        startRun(first, "Restart/DeadProcess", "node-2");
        kill9(first.process());

        Node other = node("other.log", freePort(), "--set", "jobpilot.server.node-id=other-node");

        await().atMost(Duration.ofSeconds(20)).until(() -> resumed("node-2"));
        assertThat(holder("node-2").pid()).isEqualTo(other.process().pid());
        assertFinishedOnce("node-2", "Restart/DeadProcess");
    }

    @Test
    void aDeadNodeElsewhereHasItsRunsAdoptedWithin30sWithTheDefaultLease() throws Exception {
        int port = freePort();
        Node first = node("first.log", port, "--set", "jobpilot.serve.lease=");
        startRun(first, "Restart/Lapsed", "node-3");
        kill9(first.process());
        ownerOnAnotherHost("node-3");

        Node other = node("other.log", freePort(), "--set", "jobpilot.server.node-id=other-node", "--set", "jobpilot.serve.lease=");

        await().atMost(Duration.ofSeconds(30)).until(() -> resumed("node-3"));
        assertThat(holder("node-3").node()).isEqualTo("other-node");
        assertThat(holder("node-3").pid()).isEqualTo(other.process().pid());
        assertFinishedOnce("node-3", "Restart/Lapsed");
    }
}
