package io.jobpilot.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.infolink.InfoLinkSimulator;
import io.jobpilot.sandbox.infolink.JobScript;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls outside the poll loop that fail on every try, through the command line and the real routes over HTTP: they are
 * tried exactly jobpilot.http.retries + 1 times, or fewer when the run's deadline comes first, and the run says why.
 */
class CollectionRetriesTest extends JobpilotTestSupport {
    private Cli last;

    private String oneIntegrate(String... extra) {
        String path = "Retries/Session" + System.nanoTime();
        sandbox.oneIntegrate().existingSession(path, SessionScript.create().runningPolls(0).task("t", 3));
        String runId = "r" + System.nanoTime();
        List<String> args = new ArrayList<>(List.of("run", "oneintegrate-session", "-p", "path=" + path, "--run-id", runId, "--json"));
        args.addAll(List.of(extra));
        last = jobpilot(args.toArray(String[]::new));
        return runId;
    }

    @Test
    void aSessionThatKeepsFailingIsTriedRetriesPlusOneTimesThenTheRunFailsNamingIt() throws Exception {
        sandbox.faults().add(Fault.on("GET", "sessions/.+").status(503).always());
        String runId = oneIntegrate("--set", "jobpilot.http.retries=3");

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(3);
        assertThat(sandbox.journal().count("GET", "sessions/.+")).isEqualTo(4);
        JsonNode error = runJson(runId).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("TRANSIENT");
        assertThat(error.path("step").asText()).isEqualTo("get session");
        assertThat(error.path("vendorCode").asText()).isEqualTo("503");
        assertThat(error.path("message").asText()).contains("1Integrate answered HTTP 503 to 'get session'")
                .contains("gave up after 4 tries (jobpilot.http.retries=3)");
        assertThat(last.err()).doesNotContain("\tat ");
    }

    @Test
    void aTaskSummaryThatKeepsFailingIsTriedRetriesPlusOneTimes() throws Exception {
        sandbox.faults().add(Fault.on("GET", "results/.+/task").status(500).always());
        String runId = oneIntegrate("--set", "jobpilot.http.retries=2");

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(3);
        assertThat(sandbox.journal().count("GET", "results/.+/task")).isEqualTo(3);
        assertThat(runJson(runId).path("error").path("message").asText()).contains("HTTP 500 to 'get summary of task t'")
                .contains("gave up after 3 tries");
    }

    @Test
    void retriesAfterASuccessfulRetryStartFromZeroForTheNextCall() {
        sandbox.faults().add(Fault.on("GET", "sessions/.+").status(503).times(2))
                .add(Fault.on("GET", "results/.+/task").status(503).times(2));
        oneIntegrate("--set", "jobpilot.http.retries=2");

        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(sandbox.journal().count("GET", "sessions/.+")).isEqualTo(3);
        assertThat(sandbox.journal().count("GET", "results/.+/task")).isEqualTo(3);
    }

    @Test
    void retriedCallsCarryNoCamelOrInternalHeaders() {
        sandbox.faults().add(Fault.on("GET", "sessions/.+").status(503).times(2));
        oneIntegrate("--set", "jobpilot.http.retries=2");

        assertThat(last.exitCode()).as(last.toString()).isZero();
        List<RequestJournal.Entry> tries = sandbox.journal().matching("GET", "sessions/.+");
        assertThat(tries).hasSize(3).allSatisfy(e -> assertThat(e.headerNames())
                .noneMatch(h -> h.startsWith("camel") || h.startsWith("jobpilot") || h.contains("redelivery")));
    }

    /** A token renewal whose connection drops, during collection: the retry renews it and sends the call it was for. */
    @Test
    void aRetryAfterALostTokenAnswerSendsTheCallItWasFor() throws Exception {
        // the fourth token request (status before play, play, the one status poll, then the session) gets no answer
        sandbox.faults().add(Fault.on("POST", "token").times(3)).add(Fault.on("POST", "token").drop().times(1));
        String runId = oneIntegrate("--set", "jobpilot.oneintegrate.token-refresh-margin=3h");   // a new token every call

        assertThat(last.exitCode()).as(last.toString()).isZero();
        List<String> calls = sandbox.journal().all().stream().map(e -> e.method() + " " + e.path().replaceAll("/.*", "")).toList();
        assertThat(calls).as("token, status before play, token, play, token, status poll, token (dropped), token, the session")
                .startsWith("POST token", "GET results", "POST token", "POST sessions", "POST token", "GET results", "POST token",
                        "POST token", "GET sessions");
        assertThat(sandbox.journal().count("GET", "sessions/.+")).isEqualTo(1);
        assertThat(sandbox.journal().count(e -> e.is("POST", "token") && e.authorization() != null)).isZero();
        assertThat(runDir(runId).resolve("session.json")).content().contains("taskIdentifier");
    }

    @Test
    void manyRetriesStopAtTheRunsDeadlineAndTheRunTimesOut() throws Exception {
        sandbox.faults().add(Fault.on("GET", "sessions/.+").status(503).always());
        String runId = oneIntegrate("--set", "jobpilot.http.retries=1000", "--set", "jobpilot.http.retry-delay=50ms",
                "--set", "jobpilot.http.retry-max-delay=50ms", "--timeout", "1s");

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(4);
        long tries = sandbox.journal().count("GET", "sessions/.+");
        assertThat(tries).isBetween(1L, 20L);                   // 1 s of 50 ms waits, never the 1001 tries allowed
        JsonNode result = runJson(runId);
        assertThat(result.path("outcome").asText()).isEqualTo("TIMED_OUT");
        assertThat(result.path("error").path("kind").asText()).isEqualTo("TIMEOUT");
        assertThat(result.path("error").path("step").asText()).isEqualTo("get session");
        assertThat(result.path("error").path("message").asText()).startsWith("deadline of 1s reached while retrying 'get session'")
                .contains("tried " + tries + " times").contains("jobpilot resume " + runId);
        assertThat(sandbox.journal().count("GET", "sessions/.+")).as("nothing is sent once the run ended").isEqualTo(tries);
    }

    @Test
    void anInfoLinkSubmitThatKeepsFailingIsTriedRetriesPlusOneTimes() throws Exception {
        sandbox.faults().add(Fault.on("POST", "api/v1/executeJob(\\.jsp)?").status(500).body("text/plain", "broken").always());
        String scenario = "Scenario" + System.nanoTime();
        sandbox.infoLink().script(scenario, JobScript.create().runningPolls(0).result("rows", 1));
        String runId = "i" + System.nanoTime();
        last = jobpilot("run", "infolink-job", "-p", "app-id=" + InfoLinkSimulator.APP_ID, "-p", "scenario=" + scenario,
                "--run-id", runId, "--json", "--set", "jobpilot.http.retries=2");

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(7);
        assertThat(sandbox.journal().count("POST", "api/v1/executeJob(\\.jsp)?")).isEqualTo(3);
        JsonNode error = runJson(runId).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("TRANSIENT");
        assertThat(error.path("message").asText()).contains("InfoLink answered HTTP 500").contains("gave up after 3 tries");
    }
}
