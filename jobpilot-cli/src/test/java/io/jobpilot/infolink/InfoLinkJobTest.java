package io.jobpilot.infolink;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.cli.JobpilotCommand;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.infolink.InfoLinkSimulator;
import io.jobpilot.sandbox.infolink.JobScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The InfoLink job workflow through the command line, the real routes and the InfoLink simulator over HTTP. */
class InfoLinkJobTest extends JobpilotTestSupport {
    private String scenario(JobScript script) {
        String name = "Scenario" + System.nanoTime();
        sandbox.infoLink().script(name, script);
        return name;
    }

    /** An infolink-job run of the simulator's app on {@code scenario}. */
    private RunCommand job(String scenario) {
        return workflow("infolink-job").param("app-id", InfoLinkSimulator.APP_ID).param("scenario", scenario);
    }

    private List<RequestJournal.Entry> calls(String call) {
        return sandbox.journal().matching(call.equals("executeJob") ? "POST" : "GET", "api/v1/" + call + "(\\.jsp)?");
    }

    @Test
    void asyncJobRunningForSeveralPollsThenCompletedWithTwoResultSets() throws Exception {
        Ran ran = job(scenario(JobScript.create().runningPolls(4).runningWord("executing").result("companies", 3).result("contacts", 5)))
                .with("-p", "parameters={\"region\":\"EMEA\"}").run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        JsonNode result = ran.json();
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("remoteIds").path("job").asText()).isEqualTo(ran.runId());
        assertThat(result.path("counts").path("records").asLong()).isEqualTo(8);
        assertThat(result.path("counts").path("resultRecords").path("companies").asLong()).isEqualTo(3);
        Path results = runDir(ran.runId()).resolve("results");
        List<String> companies = lines(results.resolve("companies.ndjson"));
        assertThat(companies).hasSize(3);
        assertThat(Json.MAPPER.readTree(companies.get(0)).path("id").asText()).isEqualTo("1");
        assertThat(lines(results.resolve("contacts.ndjson"))).hasSize(5);
        assertThat(Json.MAPPER.readTree(results.resolve("companies.schema.json").toFile()).findValuesAsText("name")).contains("company_name");
        assertThat(Json.MAPPER.readTree(runDir(ran.runId()).resolve("status.json").toFile()).path("result").path("status").asText()).isEqualTo("completed");
        try (var files = Files.list(runDir(ran.runId()))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".answer.json") || n.endsWith(".tmp"));
        }
        assertThat(ran.err()).contains("remote status executing", "remote status completed");

        List<RequestJournal.Entry> execute = calls("executeJob");
        assertThat(execute).hasSize(1);
        assertThat(execute.get(0).path()).isEqualTo("api/v1/executeJob.jsp");
        JsonNode body = Json.MAPPER.readTree(execute.get(0).body());
        assertThat(body.path("jobId").asText()).isEqualTo(ran.runId());
        assertThat(body.path("isAsync").asBoolean()).isTrue();
        assertThat(body.path("appId").asText()).isEqualTo("7");
        assertThat(body.path("operation").path("opParams").path("parameters").path("region").asText()).isEqualTo("EMEA");
        assertThat(calls("getJobStatus")).hasSize(5).allSatisfy(e -> assertThat(e.query()).contains("jobId=" + ran.runId()));

        String everything = ran.out() + ran.err() + Files.readString(runDir(ran.runId()).resolve("run.json"))
                + Files.readString(runDir(ran.runId()).resolve("status.json")) + jobpilot("show", ran.runId(), "--json").out();
        assertThat(everything).doesNotContain(InfoLinkSimulator.API_KEY);
    }

    @Test
    void completedWithErrorAndResultsIsAWarning() throws Exception {
        Ran ran = job(scenario(JobScript.create().runningPolls(1).result("rows", 4).completesWithError("2 rows rejected", true)))
                .run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(1);
        assertThat(ran.json().path("outcome").asText()).isEqualTo("WARNING");
        assertThat(ran.json().path("error").path("message").asText()).contains("completedWithError: 2 rows rejected");
        assertThat(lines(runDir(ran.runId()).resolve("results/rows.ndjson"))).hasSize(4);
    }

    @Test
    void completedWithErrorWithoutResultsFailsWithTheMessage() throws Exception {
        Ran ran = job(scenario(JobScript.create().runningPolls(1).completesWithError("Source 'crm' is unreachable", false)))
                .run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(3);
        JsonNode error = ran.json().path("error");
        assertThat(error.path("kind").asText()).isEqualTo("REMOTE_JOB");
        assertThat(error.path("vendorCode").asText()).isEqualTo("completedWithError");
        assertThat(error.path("message").asText()).contains("Source 'crm' is unreachable");
        assertThat(Json.MAPPER.readTree(runDir(ran.runId()).resolve("status.json").toFile()).path("result").path("message").asText())
                .isEqualTo("Source 'crm' is unreachable");
    }

    @Test
    void anErrorEnvelopeWithHttp200EndsTheRunWithItsMessage() {
        Ran ran = job(scenario(JobScript.create().rejectWith("Scenario 'Main' has no active specification.", 200))).run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(7);
        JsonNode error = ran.json().path("error");
        assertThat(error.path("kind").asText()).isEqualTo("VENDOR");
        assertThat(error.path("message").asText()).contains("HTTP 200", "status 'error': Scenario 'Main' has no active specification.");
        assertThat(calls("executeJob")).hasSize(1);
        assertThat(calls("getJobStatus")).isEmpty();
    }

    @Test
    void aWrongApiKeyIsAnAuthenticationErrorAndIsNeverShown() {
        Ran ran = job(scenario(JobScript.create())).with("--set", "jobpilot.infolink.api-key=not-the-key").run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(7);
        assertThat(ran.json().path("error").path("kind").asText()).isEqualTo("AUTHENTICATION");
        assertThat(ran.json().path("error").path("message").asText()).contains("Invalid API key.", "jobpilot.infolink.api-key");
        assertThat(ran.out() + ran.err()).doesNotContain("not-the-key");
    }

    @Test
    void syncModeTakesTheResultsFromTheExecuteAnswer() throws Exception {
        Ran ran = job(scenario(JobScript.create().result("companies", 2)))
                .with("-p", "async=false", "-p", "no-result-schema=true").run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(lines(runDir(ran.runId()).resolve("results/companies.ndjson"))).hasSize(2);
        assertThat(runDir(ran.runId()).resolve("results/companies.schema.json")).doesNotExist();
        assertThat(calls("getJobStatus")).isEmpty();
        JsonNode body = Json.MAPPER.readTree(calls("executeJob").get(0).body());
        assertThat(body.path("isAsync").asBoolean(true)).isFalse();
        assertThat(body.path("noResultSchema").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"jsp,stopJob,api/v1/stopJob.jsp", "plain,stop,api/v1/stop"})
    void onTimeoutStopCallsTheConfiguredStopPathUntilTheJobIsStopped(String style, String stopPath, String expected) {
        Ran ran = job(scenario(JobScript.create().runsForever().stopPolls(2)))
                .with("--timeout", "300ms", "--on-timeout", "stop", "--set", "jobpilot.infolink.path-style=" + style,
                        "--set", "jobpilot.infolink.stop-path=" + stopPath, "--set", "jobpilot.infolink.stop-interval=10ms").run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(5);
        assertThat(ran.json().path("error").path("message").asText()).contains("was stopped; getJobStatus reports 'stopped'");
        List<RequestJournal.Entry> stops = sandbox.journal().matching("GET", "api/v1/stop.*");
        assertThat(stops).isNotEmpty().allSatisfy(e -> assertThat(e.path()).isEqualTo(expected));
        assertThat(calls("executeJob").get(0).path()).isEqualTo(style.equals("jsp") ? "api/v1/executeJob.jsp" : "api/v1/executeJob");
    }

    @Test
    void jobpilotStopStopsTheJobOfADetachedRun() {
        Ran detached = job(scenario(JobScript.create().runsForever())).with("--timeout", "200ms", "--on-timeout", "detach").run();
        assertThat(detached.exitCode()).as(detached.toString()).isEqualTo(6);
        String runId = detached.runId();

        Cli stopped = jobpilot("stop", runId, "--json", "--set", "jobpilot.infolink.stop-interval=10ms");

        assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(5);
        assertThat(stopped.json().path("error").path("message").asText()).contains("stopped by jobpilot stop", "getJobStatus reports 'stopped'");
        assertThat(sandbox.journal().matching("GET", "api/v1/stopJob.jsp")).isNotEmpty();
        assertThat(sandbox.infoLink().jobStatus(runId)).isEqualTo("stopped");
        assertThat(jobpilot("show", runId, "--json").json().path("run").path("outcome").asText()).isEqualTo("STOPPED");
        Cli again = jobpilot("stop", runId);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("has already ended STOPPED");
    }

    @Test
    void aJobStoppedInInfoLinkEndsStopped() {
        Ran ran = job(scenario(JobScript.create().runningPolls(1).endsStopped())).run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(5);
        assertThat(ran.json().path("outcome").asText()).isEqualTo("STOPPED");
    }

    @Test
    void transientFailuresAreRetriedWithoutASecondJob() {
        sandbox.faults().add(Fault.on("POST", "api/v1/executeJob.jsp").status(503).times(1));
        sandbox.faults().add(Fault.on("GET", "api/v1/getJobStatus.jsp").status(502).times(2));
        int jobsBefore = sandbox.infoLink().jobCount();
        Ran ran = job(scenario(JobScript.create().runningPolls(1).result("rows", 1))).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(calls("executeJob")).hasSize(2);
        assertThat(sandbox.infoLink().jobCount()).isEqualTo(jobsBefore + 1);
    }

    @Test
    void resumeAfterACrashSendsNoSecondExecuteJob() throws Exception {
        String scenario = scenario(JobScript.create().runsForever().result("rows", 3));
        String runId = "crash" + System.nanoTime();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), JobpilotCommand.class.getName()));
        command.addAll(List.of(withTestProperties("run", "infolink-job", "-p", "app-id=7", "-p", "scenario=" + scenario,
                "--run-id", runId)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("crashed.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> calls("getJobStatus").size() >= 2);
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(jobpilot("show", runId, "--json").json().path("steps").toString()).as("the start survived the kill")
                .contains("executed");
        Cli resumed = resumeCompletedJob(runId, 3);
        assertThat(resumed.err()).contains("resuming infolink-job");
        assertThat(jobpilot("show", runId, "--json").out()).contains("RESUMED");
    }

    /** Lets the job finish, resumes the run, and checks it ends with the results and still only one executeJob. */
    private Cli resumeCompletedJob(String runId, int records) throws Exception {
        sandbox.infoLink().complete(runId);
        Cli resumed = jobpilot("resume", runId, "--json");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(calls("executeJob")).hasSize(1);
        assertThat(lines(runDir(runId).resolve("results/rows.ndjson"))).hasSize(records);
        return resumed;
    }

    @Test
    void aResumedRunThatNeverRecordedItsStartAdoptsTheJobInsteadOfStartingItAgain() throws Exception {
        Ran ran = job(scenario(JobScript.create().runsForever().result("rows", 2)))
                .with("--timeout", "200ms", "--on-timeout", "detach").run();
        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(6);
        try (Ledger ledger = Ledger.open(dbUrl(), "sa", "", 2); var c = ledger.dataSource().getConnection();
             var forget = c.prepareStatement("DELETE FROM jp_run_step WHERE run_id = ?")) {
            forget.setString(1, ran.runId());     // as if the process died between the POST and the ledger write
            forget.executeUpdate();
        }
        Cli resumed = resumeCompletedJob(ran.runId(), 2);
        assertThat(resumed.err()).contains("already started before the interruption");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "-p scenario=Main => -p app-id=ID is required",
            "-p app-id=7 => give exactly one of -p scenario=NAME",
            "-p app-id=7 -p scenario=Main -p operation=op.json => give exactly one of -p scenario=NAME",
            "-p app-id=7 -p scenario=Main -p parameters={bad => -p parameters is not valid JSON",
            "-p app-id=7 -p scenario=Main -p parameters=[1] => -p parameters=[1]: no such file",
            "-p app-id=7 -p scenario=Main -p no-result-schema=true => only applies with -p async=false",
            "-p app-id=7 -p scenario=Main -p async=maybe => -p async must be one of true, false",
            "-p app-id=7 -p operation=NOFILE => -p operation=NOFILE: no such file"})
    void badParametersExitTwoBeforeAnyHttpCall(String params, String expected) {
        List<String> args = new ArrayList<>(List.of("run", "infolink-job"));
        args.addAll(List.of(params.split(" ")));
        Cli refused = jobpilot(args.toArray(String[]::new));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains(expected);
        assertThat(sandbox.journal().all()).isEmpty();
    }

    @Test
    void anOperationFileIsSentAsItIs() throws Exception {
        Path op = tmp.resolve("op.json");
        Files.writeString(op, "{\"opName\":\"MatchOneSource\",\"opParams\":{\"source\":\"crm\"}}");
        sandbox.infoLink().script("MatchOneSource", JobScript.create().runningPolls(0).result("matches", 2));
        Ran ran = workflow("infolink-job").param("app-id", InfoLinkSimulator.APP_ID).param("operation", op).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(Json.MAPPER.readTree(calls("executeJob").get(0).body()).path("operation").path("opParams").path("source").asText())
                .isEqualTo("crm");
        assertThat(lines(runDir(ran.runId()).resolve("results/matches.ndjson"))).hasSize(2);
    }
}
