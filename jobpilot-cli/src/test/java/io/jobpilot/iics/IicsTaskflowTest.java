package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.iics.IicsSimulator;
import io.jobpilot.sandbox.iics.TaskflowScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The iics-taskflow workflow through the command line, the real routes and the IICS simulator over HTTP. */
class IicsTaskflowTest extends JobpilotTestSupport {
    private static final String START = "pod/active-bpel/rt/.+";
    private static final String STATUS = "pod/active-bpel/services/tf/status/.+";
    private static final String TERMINATE = "pod/active-bpel/services/tf/terminate";
    private static final AtomicLong NAMES = new AtomicLong(System.nanoTime() % 1_000_000);

    private static TaskflowScript newTaskflow() {
        return TaskflowScript.create("tf_orders_" + NAMES.incrementAndGet());
    }

    /** An iics-taskflow run of the taskflow the simulator plays. */
    private RunCommand taskflow(TaskflowScript script) {
        sandbox.iics().taskflow(script);
        return workflow("iics-taskflow").param("taskflow", script.apiName());
    }

    private long statusReads(TaskflowScript script) {
        return sandbox.journal().count("GET", STATUS);
    }

    @Test
    void successfulRunRecordsItsRunIdAndEachSubtasksRows() throws Exception {
        TaskflowScript script = newTaskflow().phases(1, 2).subtask("MTT_Load_Orders", "MTT", 1200, 0)
                .subtask("MTT_Load_Lines", "MTT", 5400, 3);
        Path parameters = tmp.resolve("inputs.json");
        Files.writeString(parameters, "{\"region\":\"EMEA\",\"limit\":5}");
        String runId = newRunId();

        Ran cli = taskflow(script).param("parameters", parameters).param("input.region", "APAC").param("input.day", "2026-12-01")
                .runId(runId).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        JsonNode result = cli.json();
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        String tfRunId = result.path("remoteIds").path("runId").asText();
        assertThat(tfRunId).matches("\\d{19}");
        JsonNode counts = result.path("counts");
        assertThat(counts.path("rowsProcessed").asLong()).isEqualTo(6600);
        assertThat(counts.path("erroredRows").asLong()).isEqualTo(3);
        assertThat(counts.path("subtasks")).hasSize(2);
        assertThat(counts.path("subtasks").get(1).path("name").asText()).isEqualTo("MTT_Load_Lines");
        assertThat(counts.path("subtasks").get(1).path("rowsProcessed").asLong()).isEqualTo(5400);
        assertThat(counts.path("subtasks").get(1).path("erroredRows").asLong()).isEqualTo(3);
        assertThat(runJson(runId).path("counts").path("subtasks").get(0).path("type").asText()).isEqualTo("MTT");
        assertThat(Json.MAPPER.readTree(runDir(runId).resolve("taskflow-start.json").toFile()).path("RunId").asText()).isEqualTo(tfRunId);
        JsonNode status = Json.MAPPER.readTree(runDir(runId).resolve("taskflow-status.json").toFile());
        assertThat(status.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(status.path("runId").asText()).isEqualTo(tfRunId);

        assertThat(sandbox.journal().count("POST", START)).isEqualTo(1);
        assertThat(sandbox.iics().taskflowInputs(script.apiName())).containsExactly(
                Json.MAPPER.readTree("{\"region\":\"APAC\",\"limit\":5,\"day\":\"2026-12-01\"}"));
        RequestJournal.Entry start = sandbox.journal().matching("POST", START).get(0);
        assertThat(start.path()).isEqualTo("pod/active-bpel/rt/" + script.apiName());
        assertThat(start.headerNames()).contains("infa-session-id");
        assertThat(sandbox.journal().matching("GET", STATUS)).allSatisfy(e -> assertThat(e.path()).endsWith("/" + tfRunId));
        assertThat(cli.err()).contains("remote status (no status yet)").contains("remote status RUNNING").contains("remote status SUCCESS");
    }

    @Test
    void aFailedTaskflowFailsWithItsErrorMessage() throws Exception {
        String runId = newRunId();

        Ran cli = taskflow(newTaskflow().phases(0, 1).fails("The Data Task step failed: [MTT_Orders] failed. TE_7002 Parse error"))
                .runId(runId).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        JsonNode error = runJson(runId).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("REMOTE_JOB");
        assertThat(error.path("vendorCode").asText()).isEqualTo("FAILED");
        assertThat(error.path("message").asText()).contains("failed (FAILED)").contains("[MTT_Orders] failed");
        assertThat(Json.MAPPER.readTree(runDir(runId).resolve("taskflow-status.json").toFile()).path("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void aSuspendedTaskflowFailsByDefaultAndIsLeftAsItIs() {
        TaskflowScript script = newTaskflow().suspendsAfter(1, "The Data Task step failed: [MTT_Orders] failed.");

        Ran cli = taskflow(script).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        assertThat(cli.json().path("error").path("vendorCode").asText()).isEqualTo("SUSPENDED");
        assertThat(cli.json().path("error").path("message").asText()).contains("is SUSPENDED (paused on a fault: The Data Task step failed")
                .contains("left as it is").contains("-p suspended=wait");
        assertThat(sandbox.journal().count("PUT", TERMINATE)).isZero();
        assertThat(sandbox.iics().resumeTaskflows(script.apiName())).as("still suspended in IICS").isOne();
    }

    @Test
    void withSuspendedWaitASuspendedTaskflowIsFollowedUntilItIsResumed() {
        TaskflowScript script = newTaskflow().suspendsAfter(1, "The Data Task step failed.");

        CompletableFuture<Ran> running = CompletableFuture.supplyAsync(() -> taskflow(script).param("suspended", "wait")
                .with("--timeout", "30s").run());
        await().atMost(Duration.ofSeconds(20)).until(() -> statusReads(script) >= 4);    // one RUNNING, then SUSPENDED ones
        assertThat(running).isNotDone();
        assertThat(sandbox.iics().resumeTaskflows(script.apiName())).isOne();
        Ran cli = running.join();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.err()).contains("remote status SUSPENDED: The Data Task step failed.").contains("remote status SUCCESS");
    }

    @Test
    void timeoutWithStopTerminatesTheTaskflowAndConfirmsItThroughItsStatus() throws Exception {
        String runId = newRunId();

        Ran cli = taskflow(newTaskflow().runsForever()).runId(runId).with("--timeout", "300ms", "--on-timeout", "stop").run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(5);
        assertThat(cli.json().path("outcome").asText()).isEqualTo("STOPPED");
        assertThat(cli.json().path("error").path("message").asText()).contains("IICS answered the terminate")
                .contains("the status resource shows it ended FAILED");
        List<RequestJournal.Entry> terminate = sandbox.journal().matching("PUT", TERMINATE);
        assertThat(terminate).hasSize(1);
        assertThat(Json.MAPPER.readTree(terminate.get(0).body())).isEqualTo(Json.MAPPER.createObjectNode().set("runid",
                Json.MAPPER.createArrayNode().add(cli.json().path("remoteIds").path("runId").asText())));
        assertThat(Json.MAPPER.readTree(runDir(runId).resolve("taskflow-status.json").toFile()).path("errorMessage").asText())
                .contains("terminated");
    }

    @Test
    void jobpilotStopTerminatesADetachedRun() {
        TaskflowScript script = newTaskflow().runsForever();
        String runId = newRunId();
        Ran detached = taskflow(script).runId(runId).with("--timeout", "100ms", "--on-timeout", "detach").run();
        assertThat(detached.exitCode()).as(detached.toString()).isEqualTo(6);

        Cli stop = jobpilot("stop", runId, "--json");

        assertThat(stop.exitCode()).as(stop.toString()).isEqualTo(5);
        assertThat(stop.json().path("error").path("message").asText()).contains("stopped by jobpilot stop").contains("shows it ended FAILED");
        assertThat(sandbox.journal().count("PUT", TERMINATE)).isEqualTo(1);
        assertThat(sandbox.iics().taskflowRunsOf(script.apiName())).isOne();
        assertThat(jobpilot("show", runId, "--json").json().path("run").path("outcome").asText()).isEqualTo("STOPPED");
    }

    @Test
    void unavailableAndTooManyRequestsOnTheStatusAreRetried() {
        sandbox.faults().add(Fault.on("GET", STATUS).status(429).retryAfter(0)
                .body("application/json", "{\"error\":{\"code\":\"429\",\"message\":\"Too many requests\"}}"));
        sandbox.faults().add(Fault.on("GET", STATUS).status(503));
        sandbox.faults().add(Fault.on("GET", STATUS).status(502));

        Ran cli = taskflow(newTaskflow().phases(0, 2)).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.err()).contains("HTTP 429").contains("HTTP 503").contains("HTTP 502");
        assertThat(sandbox.journal().count("POST", START)).isEqualTo(1);
    }

    @Test
    void anExpiredSessionLogsInAgainForTheStatus() {
        TaskflowScript script = newTaskflow().phases(0, 6);
        int before = sandbox.iics().logins();

        CompletableFuture<Ran> running = CompletableFuture.supplyAsync(() -> taskflow(script).run());
        await().atMost(Duration.ofSeconds(20)).until(() -> statusReads(script) >= 2);
        sandbox.iics().expireSessions();
        Ran cli = running.join();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.iics().logins() - before).as("the first login and one after the 401").isEqualTo(2);
    }

    @Test
    void theInputsGoUnderInputsWhenConfiguredSo() throws Exception {
        TaskflowScript script = newTaskflow().phases(0, 1);

        Ran cli = taskflow(script).param("input.region", "EMEA").with("--set", "jobpilot.iics.taskflow-body=inputs").run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.iics().taskflowInputs(script.apiName())).containsExactly(
                Json.MAPPER.readTree("{\"inputs\":{\"region\":\"EMEA\"}}"));
    }

    @Test
    void anUnknownTaskflowIsReportedWithIicsMessage() throws Exception {
        String runId = newRunId();

        Cli cli = jobpilot("run", "iics-taskflow", "-p", "taskflow=no_such_taskflow", "--run-id", runId, "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(7);
        JsonNode error = runJson(runId).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("VENDOR");
        assertThat(error.path("step").asText()).isEqualTo("start taskflow");
        assertThat(error.path("message").asText()).contains("HTTP 404").contains("No published taskflow with the API name no_such_taskflow");
    }

    @Test
    void theSessionIdAndPasswordNeverReachTheRunsFiles() throws Exception {
        String runId = newRunId();
        taskflow(newTaskflow().phases(0, 1).subtask("MTT_Load_Orders", "MTT", 10, 0)).runId(runId).run();
        try (var files = Files.walk(runDir(runId))) {
            for (var f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).doesNotContain(IicsSimulator.PASSWORD).doesNotContain("INFA-SESSION-ID");
            }
        }
    }

    @Test
    void badParametersExitTwoWithoutAnyHttpCall() throws Exception {
        Path list = tmp.resolve("list.json");
        Files.writeString(list, "[1, 2]");
        for (String[] args : List.of(
                new String[] {"run", "iics-taskflow"},
                new String[] {"run", "iics-taskflow", "-p", "taskflow=a", "-p", "input.=x"},
                new String[] {"run", "iics-taskflow", "-p", "taskflow=a", "-p", "inputs.region=x"},
                new String[] {"run", "iics-taskflow", "-p", "taskflow=a", "-p", "parameters=" + list},
                new String[] {"run", "iics-taskflow", "-p", "taskflow=a", "-p", "parameters={not json"},
                new String[] {"run", "iics-taskflow", "-p", "taskflow=a", "-p", "suspended=maybe"})) {
            Cli cli = jobpilot(args);
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
            assertThat(cli.err()).contains("iics-taskflow").doesNotContain("Exception");
        }
        assertThat(jobpilot("run", "iics-taskflow", "-p", "taskflow=a", "-p", "parameters=" + list).err())
                .contains("must be a JSON object");
        assertThat(sandbox.journal().all()).isEmpty();
    }
}
