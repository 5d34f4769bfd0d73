package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.iics.IicsSimulator;
import io.jobpilot.sandbox.iics.TaskScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The iics-job workflow through the command line, the real routes and the IICS simulator over HTTP. */
class IicsJobTest extends JobpilotTestSupport {
    private static final String JOB = "pod/saas/api/v2/job";
    private static final String MONITOR = "pod/saas/api/v2/activity/activityMonitor";
    private static final String LOG = "pod/saas/api/v2/activity/activityLog";
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);

    private static TaskScript newTask() {
        return TaskScript.create("0119Y40Z" + String.format("%012d", IDS.incrementAndGet()));
    }

    /** An iics-job run of the task the simulator plays. */
    private RunCommand job(TaskScript task) {
        sandbox.iics().task(task);
        return workflow("iics-job").param("task-id", task.taskId()).param("task-type", "mtt");
    }

    @Test
    void successfulRunIsFollowedThroughMonitorAndLog() throws Exception {
        TaskScript task = newTask().firstRunId(18).phases(1, 2, 1);
        String runId = newRunId();

        Ran cli = job(task).runId(runId).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        JsonNode result = cli.json();
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("remoteIds").path("taskId").asText()).isEqualTo(task.taskId());
        assertThat(result.path("remoteIds").path("runId").asText()).isEqualTo("18");
        assertThat(result.path("counts").path("successTargetRows").asLong()).isEqualTo(1000);
        assertThat(result.path("counts").path("endTimeUtc").asText()).endsWith("Z");
        JsonNode job = Json.MAPPER.readTree(runDir(runId).resolve("job.json").toFile());
        assertThat(job.path("runId").asLong()).isEqualTo(18);
        JsonNode entry = Json.MAPPER.readTree(runDir(runId).resolve("activity-log.json").toFile());
        assertThat(entry.path("objectId").asText()).isEqualTo(task.taskId());
        assertThat(entry.path("state").asInt()).isEqualTo(1);
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
        assertThat(sandbox.journal().matching("POST", JOB).get(0).body()).contains("\"taskType\":\"MTT\"").contains("\"@type\":\"job\"");
        assertThat(sandbox.journal().count("GET", MONITOR)).isGreaterThanOrEqualTo(2);
        assertThat(sandbox.journal().matching("GET", LOG)).allSatisfy(e -> assertThat(e.query())
                .contains("runId=18").contains("taskId=" + task.taskId()));
        assertThat(cli.err()).contains("remote status RUNNING").contains("remote status state 1");
    }

    @Test
    void aTaskPathIsResolvedToItsFederatedIdThroughTheLookup() throws Exception {
        TaskScript task = newTask().path("Sales/Nightly/mt_load_" + IDS.incrementAndGet()).federatedId("6OZL5GLp1wckJz" + IDS.get())
                .phases(0, 1, 0);
        sandbox.iics().task(task);
        String runId = newRunId();

        Ran cli = workflow("iics-job").param("task-path", "/" + task.path()).param("task-type", "mtt").runId(runId).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.json().path("remoteIds").path("taskFederatedId").asText()).isEqualTo("6OZL5GLp1wckJz" + IDS.get());
        JsonNode lookup = Json.MAPPER.readTree(sandbox.journal().matching("POST", "pod/saas/public/core/v3/lookup").get(0).body());
        assertThat(lookup.path("objects").path(0).path("path").asText()).as("without the leading /").isEqualTo(task.path());
        assertThat(lookup.path("objects").path(0).path("type").asText()).isEqualTo("MTT");
        assertThat(sandbox.journal().matching("POST", JOB).get(0).body()).contains("\"taskFederatedId\":\"6OZL5GLp1wckJz" + IDS.get());
        assertThat(runDir(runId).resolve("lookup.json")).exists();
    }

    @Test
    void aTaskPathIicsDoesNotKnowIsAUsageErrorNamingIt() throws Exception {
        String runId = newRunId();

        Ran cli = workflow("iics-job").param("task-path", "Sales/Nightly/no_such_task").param("task-type", "MTT").runId(runId).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
        assertThat(cli.err()).contains("jobpilot: iics-job: IICS has no Sales/Nightly/no_such_task (MTT)").doesNotContain("\tat ");
        assertThat(cli.err().lines().filter(l -> l.contains("no_such_task"))).hasSize(1);
        assertThat(sandbox.journal().count("POST", JOB)).isZero();
        assertThat(jobpilot("show", runId, "--json").json().path("run").path("outcome").asText()).isEqualTo("START_FAILED");
    }

    @Test
    void aParameterFileIsSentBesideTheTaskOrInsideRuntimeAsConfigured() throws Exception {
        Ran documented = job(newTask().phases(0, 1, 0)).param("parameter-file-name", "p.txt")
                .param("parameter-file-dir", "/home/agent/params").run();
        Ran runtime = job(newTask().phases(0, 1, 0)).param("parameter-file-name", "p.txt")
                .with("--set", "jobpilot.iics.parameter-file-placement=runtime").run();

        assertThat(documented.exitCode()).as(documented.toString()).isZero();
        assertThat(runtime.exitCode()).as(runtime.toString()).isZero();
        List<RequestJournal.Entry> starts = sandbox.journal().matching("POST", JOB);
        JsonNode first = Json.MAPPER.readTree(starts.get(0).body());
        assertThat(first.path("parameterFileName").asText()).isEqualTo("p.txt");
        assertThat(first.path("parameterFileDir").asText()).isEqualTo("/home/agent/params");
        JsonNode second = Json.MAPPER.readTree(starts.get(1).body());
        assertThat(second.path("runtime").path("@type").asText()).isEqualTo("mtTaskRuntime");
        assertThat(second.path("runtime").path("parameterFileName").asText()).isEqualTo("p.txt");
        assertThat(second.has("parameterFileName")).isFalse();
    }

    @Test
    void stateTwoIsAWarningByDefault() {
        Ran cli = job(newTask().phases(0, 1, 0).endsWith(2, "Target rows rejected")).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(1);
        assertThat(cli.json().path("outcome").asText()).isEqualTo("WARNING");
        assertThat(cli.json().path("error").path("message").asText()).contains("completed with row errors").contains("4 failed target rows");
    }

    @Test
    void stateTwoFailsWithWarningFail() {
        Ran cli = job(newTask().phases(0, 1, 0).endsWith(2, "Target rows rejected")).with("-p", "warning=fail").run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        assertThat(cli.json().path("error").path("message").asText()).contains("warning=fail");
    }

    @Test
    void stateThreeFailsWithTheErrorMessage() throws Exception {
        String runId = newRunId();
        Ran cli = job(newTask().phases(0, 1, 1).endsWith(3, "TE_7002 Transformation Parse Fatal Error; transformation stopped"))
                .runId(runId).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        JsonNode error = runJson(runId).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("REMOTE_JOB");
        assertThat(error.path("vendorCode").asText()).isEqualTo("TE_7002");
        assertThat(error.path("message").asText()).contains("TE_7002 Transformation Parse Fatal Error");
        assertThat(runDir(runId).resolve("activity-log.json")).exists();
        assertThat(Files.readString(runDir(runId).resolve("session.log"))).contains("TE_7002 Transformation Parse Fatal Error");
        assertThat(runJson(runId).path("artifacts").toString()).contains("session.log");
        assertThat(runDir(runId).resolve("error.log")).as("no rejected rows, no error log asked for").doesNotExist();
    }

    @Test
    void aWarningRunKeepsItsSessionLogAndItsErrorLog() throws Exception {
        String runId = newRunId();
        Ran cli = job(newTask().phases(0, 1, 0).endsWith(2, "WRT_8229 Database errors occurred")).runId(runId).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(1);
        assertThat(Files.readString(runDir(runId).resolve("session.log"))).contains("WRT_8229");
        assertThat(Files.readString(runDir(runId).resolve("error.log"))).contains("ORA-00001");
        String entryId = Json.MAPPER.readTree(runDir(runId).resolve("activity-log.json").toFile()).path("id").asText();
        assertThat(sandbox.journal().count("GET", LOG + "/" + entryId + "/sessionLog")).isEqualTo(1);
        assertThat(sandbox.journal().count("GET", "pod/saas/api/v2/activity/errorLog/" + entryId)).isEqualTo(1);
    }

    @Test
    void theTasksOfALinearTaskflowHaveTheirSessionLogsAsZips() throws Exception {
        String runId = newRunId();
        TaskScript linear = newTask().type("WORKFLOW").phases(0, 1, 0).endsWith(3, "One or more tasks generated error rows or failed.");
        sandbox.iics().task(linear);
        Ran cli = workflow("iics-job").param("task-id", linear.taskId()).param("task-type", "WORKFLOW").runId(runId).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        JsonNode entry = Json.MAPPER.readTree(runDir(runId).resolve("activity-log.json").toFile());
        String childId = entry.path("entries").path(0).path("id").asText();
        assertThat(sandbox.journal().matching("GET", LOG + "/" + entry.path("id").asText() + "/sessionLog").get(0).query())
                .isEqualTo("itemId=" + childId);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(runDir(runId).resolve("session-" + childId + ".zip").toFile())) {
            assertThat(zip.stream().map(java.util.zip.ZipEntry::getName).toList()).anyMatch(n -> n.startsWith("MTT/s_mtt_"));
        }
    }

    @Test
    void aMissingOrUnreachableLogIsAWarningNeverTheRunsFailure() {
        Ran missing = job(newTask().phases(0, 1, 0).endsWith(3, "TE_7002 Transformation Parse Fatal Error").withoutSessionLogs()).run();
        sandbox.faults().add(Fault.on("GET", LOG + "/.+/sessionLog").status(500).always());
        Ran failing = job(newTask().phases(0, 1, 0).endsWith(2, "WRT_8229 Database errors occurred")).run();

        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(3);
        assertThat(missing.json().path("error").path("vendorCode").asText()).isEqualTo("TE_7002");
        assertThat(missing.json().path("warnings").toString()).contains("IICS gave no session log (HTTP 404)");
        assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(1);
        assertThat(failing.json().path("warnings").toString()).contains("could not download the session log").contains("500");
        assertThat(failing.json().path("artifacts").toString()).contains("error.log").doesNotContain("session.log");
    }

    @Test
    void runsOfTwoTasksWithTheSameRunIdAreNeverMixedUp() throws Exception {
        TaskScript failing = newTask().firstRunId(18).phases(0, 4, 0).endsWith(3, "There is no active Secure Agent in the group");
        TaskScript succeeding = newTask().firstRunId(18).phases(1, 2, 2);

        CompletableFuture<Ran> running = CompletableFuture.supplyAsync(() -> job(failing).run());
        Ran second = job(succeeding).run();
        Ran first = running.join();

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(3);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(first.json().path("remoteIds").path("runId").asText()).isEqualTo("18");
        assertThat(second.json().path("remoteIds").path("runId").asText()).isEqualTo("18");
        assertThat(Json.MAPPER.readTree(runDir(second.runId()).resolve("activity-log.json").toFile()).path("objectId").asText())
                .isEqualTo(succeeding.taskId());
    }

    @Test
    void sessionExpiryMidRunLogsInAgainAndCarriesOn() {
        int before = sandbox.iics().logins();

        Ran cli = job(newTask().phases(0, 4, 0).expireSessionsAtPoll(2)).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.iics().logins() - before).as("the first login and one after the 401").isEqualTo(2);
        assertThat(sandbox.journal().count(e -> e.path().equals(MONITOR))).isGreaterThanOrEqualTo(4);
    }

    @Test
    void tooManyRequestsAndUnavailableWhilePollingAreRetried() {
        sandbox.faults().add(Fault.on("GET", MONITOR).status(429).retryAfter(0)
                .body("application/json", "{\"@type\":\"error\",\"code\":\"APP_429\",\"description\":\"Too many requests\",\"statusCode\":429}"));
        sandbox.faults().add(Fault.on("GET", MONITOR).status(503));

        Ran cli = job(newTask().phases(0, 2, 0)).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.err()).contains("HTTP 429").contains("HTTP 503");
    }

    @Test
    void timeoutWithStopStopsTheTaskAndConfirmsItInTheActivityLog() throws Exception {
        String runId = newRunId();

        Ran cli = job(newTask().runsForever()).runId(runId).with("--timeout", "300ms", "--on-timeout", "stop").run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(5);
        assertThat(cli.json().path("outcome").asText()).isEqualTo("STOPPED");
        assertThat(cli.json().path("error").path("message").asText()).contains("the activity log confirms it stopped");
        assertThat(sandbox.journal().count("POST", JOB + "/stop")).isEqualTo(1);
        JsonNode entry = Json.MAPPER.readTree(runDir(runId).resolve("activity-log.json").toFile());
        assertThat(entry.has("isStopped")).as("real entries have no isStopped").isFalse();
        assertThat(entry.path("state").asInt()).isEqualTo(3);
        assertThat(entry.path("errorMsg").asText()).contains("stopped by user").contains("using the API");
    }

    @Test
    void aRunStoppedInTheIicsUiEndsStopped() {
        Ran cli = job(newTask().phases(0, 2, 0).stoppedInUi()).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(5);
        assertThat(cli.json().path("outcome").asText()).isEqualTo("STOPPED");
        assertThat(cli.json().path("error").path("message").asText()).contains("was stopped in IICS").contains("using the UI");
        assertThat(sandbox.journal().count("POST", JOB + "/stop")).isZero();
    }

    @Test
    void aWarningCarriesTheVendorCodeAndMessageOfTheFirstEntry() throws Exception {
        String runId = newRunId();
        Ran cli = job(newTask().phases(0, 1, 0).endsWith(2, "WRT_8229 Database errors occurred: ORA-00001: unique constraint"))
                .runId(runId).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(1);
        JsonNode entry = Json.MAPPER.readTree(runDir(runId).resolve("activity-log.json").toFile());
        assertThat(entry.has("errorMsg")).as("state 2 keeps its message in entries[0] only").isFalse();
        JsonNode error = runJson(runId).path("error");
        assertThat(error.path("vendorCode").asText()).isEqualTo("WRT_8229");
        assertThat(error.path("message").asText()).contains("WRT_8229 Database errors occurred: ORA-00001");
    }

    @Test
    void stateFourInTheActivityLogIsQueuedAndWaitedFor() {
        Ran cli = job(newTask().phases(4, 1, 0).queuedInLog()).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.err()).contains("remote status state 4 (queued)").doesNotContain("unknown");
    }

    @Test
    void jobpilotStopStopsADetachedRun() throws Exception {
        TaskScript task = newTask().runsForever();
        String runId = newRunId();
        Ran detached = job(task).runId(runId).with("--timeout", "100ms", "--on-timeout", "detach").run();
        assertThat(detached.exitCode()).as(detached.toString()).isEqualTo(6);

        Cli stop = jobpilot("stop", runId, "--json");

        assertThat(stop.exitCode()).as(stop.toString()).isEqualTo(5);
        assertThat(stop.json().path("outcome").asText()).isEqualTo("STOPPED");
        assertThat(stop.json().path("error").path("message").asText()).contains("stopped by jobpilot stop").contains("confirms it stopped");
        RequestJournal.Entry stopCall = sandbox.journal().matching("POST", JOB + "/stop").get(0);
        assertThat(stopCall.body()).contains(task.taskId()).contains("\"taskType\":\"MTT\"");
        assertThat(jobpilot("show", runId, "--json").json().path("run").path("outcome").asText()).isEqualTo("STOPPED");
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
    }

    @Test
    void stopOfAnUnknownOrEndedRunSendsNothing() {
        String runId = newRunId();
        assertThat(job(newTask().phases(0, 1, 0)).runId(runId).run().exitCode()).isZero();
        sandbox.journal().clear();

        Cli ended = jobpilot("stop", runId);
        Cli unknown = jobpilot("stop", "no-such-run");

        assertThat(ended.exitCode()).as(ended.toString()).isEqualTo(2);
        assertThat(ended.err()).contains("has already ended SUCCEEDED; there is nothing to stop");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("no run 'no-such-run'");
        assertThat(sandbox.journal().all()).isEmpty();
    }

    @Test
    void resumeNeverStartsTheTaskAgain() {
        TaskScript task = newTask().phases(0, 12, 0);
        String runId = newRunId();
        Ran timedOut = job(task).runId(runId).with("--timeout", "60ms").run();
        assertThat(timedOut.exitCode()).as(timedOut.toString()).isEqualTo(4);

        Cli resumed = jobpilot("resume", runId, "--timeout", "20s", "--json");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(sandbox.iics().runsOf(task.taskId())).isEqualTo(1);
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
    }

    @Test
    void anUnknownTaskIsReportedWithTheVendorCode() throws Exception {
        String runId = newRunId();
        Cli cli = jobpilot("run", "iics-job", "-p", "task-name=No Such Task", "-p", "task-type=DSS", "--run-id", runId, "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(7);
        JsonNode error = runJson(runId).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("VENDOR");
        assertThat(error.path("step").asText()).isEqualTo("start job");
        assertThat(error.path("vendorCode").asText()).isEqualTo("APP_13436");
        assertThat(error.path("message").asText()).contains("HTTP 403").contains("No object named No Such Task")
                .contains("invalid or unknown values");
    }

    @Test
    void badParametersExitTwoWithoutAnyHttpCall() {
        for (String[] args : List.of(
                new String[] {"run", "iics-job", "-p", "task-type=MTT"},
                new String[] {"run", "iics-job", "-p", "task-id=a", "-p", "task-name=b", "-p", "task-type=MTT"},
                new String[] {"run", "iics-job", "-p", "task-id=a"},
                new String[] {"run", "iics-job", "-p", "task-id=a", "-p", "task-type=SQL"},
                new String[] {"run", "iics-job", "-p", "task-id=a", "-p", "task-type=MTT", "-p", "warning=maybe"},
                new String[] {"run", "iics-job", "-p", "task-id=a", "-p", "task-type=MTT", "-p", "callback=true"},
                new String[] {"run", "iics-job", "-p", "task-id=a", "-p", "task-type=MTT", "-p", "runtime=x"},
                new String[] {"run", "iics-job", "-p", "task-id=a", "-p", "task-type=MTT", "-p", "parameter-file-dir=/x"},
                new String[] {"run", "iics-job", "-p", "task-id=a", "-p", "task-path=P/F/N", "-p", "task-type=MTT"})) {
            Cli cli = jobpilot(args);
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
            assertThat(cli.err()).contains("iics-job");
        }
        assertThat(jobpilot("run", "iics-job", "-p", "task-id=a", "-p", "task-type=MTT", "-p", "callback=true").err())
                .contains("callback=true needs jobpilot.callback.public-url");
        assertThat(sandbox.journal().all()).isEmpty();
    }

    @Test
    void theSessionIdAndPasswordNeverReachTheRunsFiles() throws Exception {
        String runId = newRunId();
        job(newTask().phases(0, 1, 0)).runId(runId).run();
        try (var files = Files.walk(runDir(runId))) {
            for (var f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).doesNotContain(IicsSimulator.PASSWORD).doesNotContain("icSessionId");
            }
        }
    }
}
