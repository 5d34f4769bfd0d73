package io.jobpilot.oneintegrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What goes wrong with a 1Integrate session, and what the user gets: exit codes, messages, no lost or doubled work. */
class OneIntegrateFaultsTest extends JobpilotTestSupport {
    private String path() {
        return "Faults/Session " + System.nanoTime();
    }

    @Test
    void rateLimitAndServerErrorsWhilePollingDoNotFailTheRun() throws Exception {
        sandbox.faults().add(Fault.on("GET", "results/.+/status").status(503).times(2))
                .add(Fault.on("GET", "results/.+/status").status(429).retryAfter(1).times(1))
                .add(Fault.on("GET", "results/.+/status").html(502).times(1))
                .add(Fault.on("GET", "results/.+/status").drop().times(1));
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(2).task("t", 10)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        List<RequestJournal.Entry> polls = sandbox.journal().matching("GET", "results/.+/status");
        assertThat(polls).hasSizeGreaterThanOrEqualTo(5 + 3);
        // the poll after the 429 waited for Retry-After (1 s) although the poll interval is 20-100 ms
        Duration gap = Duration.between(polls.get(2).at(), polls.get(3).at());
        assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(ran.err()).contains("retrying in");
        assertThat(lines(runDir(ran.runId()).resolve("tasks/t/reports.ndjson"))).hasSize(10);
    }

    @Test
    void serverErrorsOnReportPagesAreRetriedWithoutDuplicates() throws Exception {
        sandbox.faults().add(Fault.on("GET", "results/.+/report").status(500).times(3));
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(0).task("t", 3500)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(lines(runDir(ran.runId()).resolve("tasks/t/reports.ndjson"))).hasSize(3500).doesNotHaveDuplicates();
        assertThat(sandbox.journal().count("GET", "results/.+/report")).isEqualTo(4 + 3);
    }

    @Test
    void expiredTokenMidRunIsRenewedOnceAndTheRunCarriesOn() throws Exception {
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(4).expireTokensAtPoll(3).task("t", 5)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(sandbox.journal().count("POST", "token")).isEqualTo(2);
        assertThat(sandbox.oneIntegrate().unauthorizedAnswers()).isGreaterThanOrEqualTo(1);
        assertThat(runJson(ran.runId()).path("outcome").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void bearerPrefixInTheTokenHeaderIsAccepted() throws Exception {
        sandbox.oneIntegrate().bearerInTokenHeader(true);
        try {
            sandbox.oneIntegrate().expireTokens();
            Ran ran = sessionRun(path(), SessionScript.create().runningPolls(0).task("t", 1)).run();
            assertThat(ran.exitCode()).as(ran.toString()).isZero();
        } finally {
            sandbox.oneIntegrate().bearerInTokenHeader(false);
        }
    }

    @Test
    void wrongPasswordIsAStartFailureNamingTheUser() {
        Cli cli = jobpilot("run", "oneintegrate-session", "-p", "path=Any/Session", "--set",
                "jobpilot.oneintegrate.password=wrong-secret", "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(7);
        JsonNode error = cli.json().path("error");
        assertThat(error.path("kind").asText()).isEqualTo("AUTHENTICATION");
        assertThat(error.path("message").asText()).contains("rejected the credentials of user 'integrate'");
        assertThat(cli.out() + cli.err()).doesNotContain("wrong-secret");
    }

    @Test
    void anApiKeyReplacesTheTokenAndAWrongOneIsAClearStartFailure() throws Exception {
        String path = path();
        sandbox.oneIntegrate().existingSession(path, SessionScript.create().runningPolls(1).task("t", 3));
        String key = io.jobpilot.sandbox.oneintegrate.OneIntegrateSimulator.API_KEY;
        Cli ok = jobpilot("run", "oneintegrate-session", "-p", "path=" + path, "--set", "jobpilot.oneintegrate.api-key=" + key,
                "--set", "jobpilot.oneintegrate.password=", "--json");

        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(sandbox.journal().count("POST", "token")).isZero();
        assertThat(sandbox.journal().matching("GET", "results/.+/status")).allSatisfy(e -> assertThat(e.authorization()).isEqualTo("Bearer " + key));
        assertThat(ok.out() + ok.err()).doesNotContain(key);

        Cli wrong = jobpilot("run", "oneintegrate-session", "-p", "path=" + path, "--set", "jobpilot.oneintegrate.api-key=not-the-key",
                "--json");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(7);
        assertThat(wrong.json().path("error").path("message").asText()).contains("1Integrate refused the API key (sent in the Authorization header)");
        assertThat(wrong.out() + wrong.err()).doesNotContain("not-the-key");
    }

    @Test
    void anUnreachableServerIsNamedWithTheStepAndTheUrl() {
        Cli cli = jobpilot("run", "oneintegrate-session", "-p", "path=Any/Session", "--set",
                "jobpilot.oneintegrate.base-url=http://127.0.0.1:1/1Integrate/rest", "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(7);
        assertThat(cli.json().path("error").path("message").asText())
                .contains("1Integrate could not be reached at step 'authenticate' (POST http://127.0.0.1:1/1Integrate/rest/token)")
                .contains("connection refused");
    }

    @Test
    void failedSessionExitsThreeWithTheVendorText() throws Exception {
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(1).endsWith("Error", "Rule base 'roads' could not be loaded"))
                .run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(3);
        JsonNode error = runJson(ran.runId()).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("REMOTE_JOB");
        assertThat(error.path("message").asText()).contains("ended with status Error").contains("Rule base 'roads' could not be loaded");
        assertThat(runDir(ran.runId()).resolve("session.json")).doesNotExist();
    }

    @Test
    void taskErrorsInTheSummaryMakeTheOutcomeWarning() throws Exception {
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(0).task("t", 5, 2)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(1);
        assertThat(runJson(ran.runId()).path("outcome").asText()).isEqualTo("WARNING");
        assertThat(runJson(ran.runId()).path("error").path("message").asText()).contains("2 error(s) in task t");
        assertThat(lines(runDir(ran.runId()).resolve("tasks/t/reports.ndjson"))).hasSize(5);
    }

    @Test
    void deadlineExitsFourAfterAFinalStatusCheck() throws Exception {
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(1_000_000)).with("--timeout", "400ms").run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(4);
        JsonNode result = runJson(ran.runId());
        assertThat(result.path("outcome").asText()).isEqualTo("TIMED_OUT");
        assertThat(result.path("error").path("message").asText()).contains("a final status check showed still Running");
        List<RequestJournal.Entry> polls = sandbox.journal().matching("GET", "results/.+/status");
        // the last check happened at the deadline: 400 ms after the run began
        java.time.Instant deadline = java.time.Instant.parse(result.path("startedAt").asText()).plusMillis(400);
        assertThat(polls.get(polls.size() - 1).at()).isAfterOrEqualTo(deadline.minusMillis(5));
        assertThat(sandbox.journal().count("POST", "sessions/.+")).isEqualTo(1);
    }

    @Test
    void theFinalCheckAtTheDeadlineCanStillFindTheSessionFinished() throws Exception {
        // polls at ~500, 1000, 1500 ms show Running; the wait to 2000 ms reaches the deadline, so that poll is the final
        // check (the intervals leave the run up to 500 ms to get started on a loaded machine)
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(3).task("t", 3)).with("--timeout", "2s",
                "--set", "jobpilot.poll.initial-interval=500ms", "--set", "jobpilot.poll.multiplier=1",
                "--set", "jobpilot.poll.max-interval=500ms").run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(sandbox.journal().count("GET", "results/.+/status")).isEqualTo(4);
    }

    @Test
    void onTimeoutStopPausesTheSessionInsteadOfDiscardingItsResults() throws Exception {
        String path = path();
        Ran ran = sessionRun(path, SessionScript.create().runningPolls(1_000_000))
                .with("--timeout", "200ms", "--on-timeout", "stop").run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(5);
        assertThat(sandbox.journal().matching("POST", "sessions/.+").stream().map(RequestJournal.Entry::query))
                .containsExactly("action=play", "action=pause");
        assertThat(sandbox.oneIntegrate().status(path)).isEqualTo("Paused");
        assertThat(runJson(ran.runId()).path("error").path("message").asText()).contains("paused, not stopped");
    }

    @Test
    void onTimeoutDetachLeavesItRunningAndResumeFinishesIt() throws Exception {
        String path = path();
        Ran ran = sessionRun(path, SessionScript.create().runningPolls(12).task("t", 42))
                .with("--timeout", "100ms", "--on-timeout", "detach").run();
        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(6);
        assertThat(runJson(ran.runId()).path("outcome").asText()).isEqualTo("RUNNING");

        Cli resumed = jobpilot("resume", ran.runId(), "--timeout", "30s", "--json");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(sandbox.journal().count("POST", "sessions/.+")).isEqualTo(1);
        assertThat(sandbox.journal().count("PUT", "sessions/.+")).isEqualTo(1);
        assertThat(lines(runDir(ran.runId()).resolve("tasks/t/reports.ndjson"))).hasSize(42);
    }

    @Test
    void unknownStatusIsReportedAndEndsTheRunAfterTheGracePeriod() throws Exception {
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(1_000_000).runningStatus("Thinking"))
                .with("--set", "jobpilot.poll.unknown-status-grace=300ms").run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(3);
        assertThat(ran.err()).contains("remote status Thinking");
        JsonNode result = runJson(ran.runId());
        assertThat(result.path("warnings").toString()).contains("unrecognised status 'Thinking'");
        assertThat(result.path("error").path("message").asText()).contains("unrecognised status 'Thinking'");
    }

    @Test
    void malformedJsonNamesTheStepAndTheVendor() throws Exception {
        sandbox.faults().add(Fault.on("GET", "results/.+/task").malformed().times(10));
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(0).task("t", 5)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(3);
        JsonNode error = runJson(ran.runId()).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("PROTOCOL");
        assertThat(error.path("message").asText()).contains("1Integrate answered malformed JSON").contains("'get summary of task t'");
        assertThat(ran.err()).doesNotContain("\tat ");
    }

    @Test
    void htmlReportPageIsAClearProtocolError() throws Exception {
        sandbox.faults().add(Fault.on("GET", "results/.+/report").body("text/html", "<html><head><title>Login</title></head></html>")
                .status(200).times(1));
        sandbox.faults().clear();
        sandbox.faults().add(Fault.on("GET", "results/.+/report").status(200).body("text/html",
                "<html><head><title>Login required</title></head></html>").times(10));
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(0).task("t", 5)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(3);
        assertThat(runJson(ran.runId()).path("error").path("message").asText()).contains("an HTML page (Login required)")
                .contains("'get reports 0-999 of task t'");
    }

    @Test
    void existingPathFailsByDefaultAndCanBeReusedOrReplaced() throws Exception {
        String path = path();
        sandbox.oneIntegrate().existingSession(path, SessionScript.create().runningPolls(0).task("old", 1));
        Ran refused = sessionRun(path, SessionScript.create().runningPolls(0).task("new", 2)).run();
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(7);
        assertThat(refused.json().path("error").path("message").asText()).contains("already has something at path")
                .contains("-p if-exists=reuse");
        assertThat(sandbox.journal().count("POST", "sessions/.+")).isZero();

        Ran reused = sessionRun(path, SessionScript.create()).with("-p", "if-exists=reuse").run();
        assertThat(reused.exitCode()).as(reused.toString()).isZero();
        assertThat(runDir(reused.runId()).resolve("tasks/old/reports.ndjson")).exists();
        assertThat(reused.json().path("warnings").toString()).contains("ran the existing session");

        Ran replaced = sessionRun(path, SessionScript.create().runningPolls(0).task("new", 2))
                .with("-p", "if-exists=replace").run();
        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        assertThat(sandbox.journal().count("DELETE", "sessions/.+")).isEqualTo(1);
        assertThat(lines(runDir(replaced.runId()).resolve("tasks/new/reports.ndjson"))).hasSize(2);
    }

    @Test
    void pausedMeansContinuePlaysOnUntilFinished() throws Exception {
        String path = path();
        Ran continued = sessionRun(path, SessionScript.create().runningPolls(3).pauseAfterPolls(1).task("t", 1))
                .with("-p", "paused-means=continue").run();
        assertThat(continued.exitCode()).as(continued.toString()).isZero();
        assertThat(sandbox.oneIntegrate().plays(path)).isEqualTo(2);
        assertThat(sandbox.oneIntegrate().status(path)).isEqualTo("Finished");

        String other = path();
        Ran done = sessionRun(other, SessionScript.create().runningPolls(3).pauseAfterPolls(1).task("t", 1)).run();
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(sandbox.oneIntegrate().plays(other)).isEqualTo(1);
        assertThat(sandbox.oneIntegrate().status(other)).isEqualTo("Paused");
    }

    @Test
    void pathSegmentsArePercentEncodedAndTheMisspelledTaskFieldIsRead() throws Exception {
        String path = "Quality Checks/Roads & Rails/Run #1";
        sandbox.oneIntegrate().script(path, SessionScript.create().runningPolls(0).misspellTaskIdentifier().task("t 1", 3));
        String runId = "enc" + System.nanoTime();
        Cli cli = jobpilot("run", "oneintegrate-session", "-p", "path=" + path, "-p", "session=" + sessionFile("{}"),
                "--run-id", runId);

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().matching("PUT", ".*").get(0).path())
                .isEqualTo("sessions/Quality%20Checks/Roads%20%26%20Rails/Run%20%231");
        assertThat(lines(runDir(runId).resolve("tasks/t_1/reports.ndjson"))).hasSize(3);
    }

    @Test
    void secretsNeverReachOutputArtifactsOrTheLedger() throws Exception {
        Ran ran = sessionRun(path(), SessionScript.create().runningPolls(1).task("t", 3)).run();
        assertThat(ran.exitCode()).as(ran.toString()).isZero();

        String password = io.jobpilot.sandbox.oneintegrate.OneIntegrateSimulator.PASSWORD;
        String token = sandbox.journal().matching("GET", "results/.+/status").get(0).authorization().substring(7);
        assertThat(ran.out() + ran.err()).doesNotContain(password).doesNotContain(token);
        try (Stream<Path> files = Stream.concat(Files.walk(runDir(ran.runId())), Files.walk(tmp.resolve("ledger").getParent()))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(content).as(f.toString()).doesNotContain(password).doesNotContain(token);
            }
        }
    }

}
