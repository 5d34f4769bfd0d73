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
    private Cli last;

    private String scenario(JobScript script) {
        String name = "Scenario" + System.nanoTime();
        sandbox.infoLink().script(name, script);
        return name;
    }

    private String run(String scenario, String... extra) {
        String runId = "i" + System.nanoTime();
        List<String> args = new ArrayList<>(List.of("run", "infolink-job", "-p", "app-id=" + InfoLinkSimulator.APP_ID,
                "-p", "scenario=" + scenario, "--run-id", runId, "--json"));
        args.addAll(List.of(extra));
        last = jobpilot(args.toArray(String[]::new));
        return runId;
    }

    private List<RequestJournal.Entry> calls(String call) {
        return sandbox.journal().matching(call.equals("executeJob") ? "POST" : "GET", "api/v1/" + call + "(\\.jsp)?");
    }

    @Test
    void asyncJobRunningForSeveralPollsThenCompletedWithTwoResultSets() throws Exception {
        String runId = run(scenario(JobScript.create().runningPolls(4).runningWord("executing").result("companies", 3).result("contacts", 5)),
                "-p", "parameters={\"region\":\"EMEA\"}");

        assertThat(last.exitCode()).as(last.toString()).isZero();
        JsonNode result = last.json();
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("remoteIds").path("job").asText()).isEqualTo(runId);
        assertThat(result.path("counts").path("records").asLong()).isEqualTo(8);
        assertThat(result.path("counts").path("resultRecords").path("companies").asLong()).isEqualTo(3);
        Path results = runDir(runId).resolve("results");
        List<String> companies = lines(results.resolve("companies.ndjson"));
        assertThat(companies).hasSize(3);
        assertThat(Json.MAPPER.readTree(companies.get(0)).path("id").asText()).isEqualTo("1");
        assertThat(lines(results.resolve("contacts.ndjson"))).hasSize(5);
        assertThat(Json.MAPPER.readTree(results.resolve("companies.schema.json").toFile()).findValuesAsText("name")).contains("company_name");
        assertThat(Json.MAPPER.readTree(runDir(runId).resolve("status.json").toFile()).path("result").path("status").asText()).isEqualTo("completed");
        try (var files = Files.list(runDir(runId))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".answer.json") || n.endsWith(".tmp"));
        }
        assertThat(last.err()).contains("remote status executing", "remote status completed");

        List<RequestJournal.Entry> execute = calls("executeJob");
        assertThat(execute).hasSize(1);
        assertThat(execute.get(0).path()).isEqualTo("api/v1/executeJob.jsp");
        JsonNode body = Json.MAPPER.readTree(execute.get(0).body());
        assertThat(body.path("jobId").asText()).isEqualTo(runId);
        assertThat(body.path("isAsync").asBoolean()).isTrue();
        assertThat(body.path("appId").asText()).isEqualTo("7");
        assertThat(body.path("operation").path("opParams").path("parameters").path("region").asText()).isEqualTo("EMEA");
        assertThat(calls("getJobStatus")).hasSize(5).allSatisfy(e -> assertThat(e.query()).contains("jobId=" + runId));

        String everything = last.out() + last.err() + Files.readString(runDir(runId).resolve("run.json"))
                + Files.readString(runDir(runId).resolve("status.json")) + jobpilot("show", runId, "--json").out();
        assertThat(everything).doesNotContain(InfoLinkSimulator.API_KEY);
    }

    @Test
    void completedWithErrorAndResultsIsAWarning() throws Exception {
        String runId = run(scenario(JobScript.create().runningPolls(1).result("rows", 4).completesWithError("2 rows rejected", true)));

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(1);
        assertThat(last.json().path("outcome").asText()).isEqualTo("WARNING");
        assertThat(last.json().path("error").path("message").asText()).contains("completedWithError: 2 rows rejected");
        assertThat(lines(runDir(runId).resolve("results/rows.ndjson"))).hasSize(4);
    }

    @Test
    void completedWithErrorWithoutResultsFailsWithTheMessage() throws Exception {
        String runId = run(scenario(JobScript.create().runningPolls(1).completesWithError("Source 'crm' is unreachable", false)));

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(3);
        JsonNode error = last.json().path("error");
        assertThat(error.path("kind").asText()).isEqualTo("REMOTE_JOB");
        assertThat(error.path("vendorCode").asText()).isEqualTo("completedWithError");
        assertThat(error.path("message").asText()).contains("Source 'crm' is unreachable");
        assertThat(Json.MAPPER.readTree(runDir(runId).resolve("status.json").toFile()).path("result").path("message").asText())
                .isEqualTo("Source 'crm' is unreachable");
    }

    @Test
    void anErrorEnvelopeWithHttp200EndsTheRunWithItsMessage() {
        run(scenario(JobScript.create().rejectWith("Scenario 'Main' has no active specification.", 200)));

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(7);
        JsonNode error = last.json().path("error");
        assertThat(error.path("kind").asText()).isEqualTo("VENDOR");
        assertThat(error.path("message").asText()).contains("HTTP 200", "status 'error': Scenario 'Main' has no active specification.");
        assertThat(calls("executeJob")).hasSize(1);
        assertThat(calls("getJobStatus")).isEmpty();
    }

    @Test
    void aWrongApiKeyIsAnAuthenticationErrorAndIsNeverShown() {
        run(scenario(JobScript.create()), "--set", "jobpilot.infolink.api-key=not-the-key");

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(7);
        assertThat(last.json().path("error").path("kind").asText()).isEqualTo("AUTHENTICATION");
        assertThat(last.json().path("error").path("message").asText()).contains("Invalid API key.", "jobpilot.infolink.api-key");
        assertThat(last.out() + last.err()).doesNotContain("not-the-key");
    }

    @Test
    void syncModeTakesTheResultsFromTheExecuteAnswer() throws Exception {
        String runId = run(scenario(JobScript.create().result("companies", 2)), "-p", "async=false", "-p", "no-result-schema=true");

        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(lines(runDir(runId).resolve("results/companies.ndjson"))).hasSize(2);
        assertThat(runDir(runId).resolve("results/companies.schema.json")).doesNotExist();
        assertThat(calls("getJobStatus")).isEmpty();
        JsonNode body = Json.MAPPER.readTree(calls("executeJob").get(0).body());
        assertThat(body.path("isAsync").asBoolean(true)).isFalse();
        assertThat(body.path("noResultSchema").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"jsp,stopJob,api/v1/stopJob.jsp", "plain,stop,api/v1/stop"})
    void onTimeoutStopCallsTheConfiguredStopPathUntilTheJobIsStopped(String style, String stopPath, String expected) {
        run(scenario(JobScript.create().runsForever().stopPolls(2)), "--timeout", "300ms", "--on-timeout", "stop",
                "--set", "jobpilot.infolink.path-style=" + style, "--set", "jobpilot.infolink.stop-path=" + stopPath,
                "--set", "jobpilot.infolink.stop-interval=10ms");

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(5);
        assertThat(last.json().path("error").path("message").asText()).contains("was stopped; getJobStatus reports 'stopped'");
        List<RequestJournal.Entry> stops = sandbox.journal().matching("GET", "api/v1/stop.*");
        assertThat(stops).isNotEmpty().allSatisfy(e -> assertThat(e.path()).isEqualTo(expected));
        assertThat(calls("executeJob").get(0).path()).isEqualTo(style.equals("jsp") ? "api/v1/executeJob.jsp" : "api/v1/executeJob");
    }

    @Test
    void jobpilotStopStopsTheJobOfADetachedRun() {
        String runId = run(scenario(JobScript.create().runsForever()), "--timeout", "200ms", "--on-timeout", "detach");
        assertThat(last.exitCode()).as(last.toString()).isEqualTo(6);

        last = jobpilot("stop", runId, "--json", "--set", "jobpilot.infolink.stop-interval=10ms");

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(5);
        assertThat(last.json().path("error").path("message").asText()).contains("stopped by jobpilot stop", "getJobStatus reports 'stopped'");
        assertThat(sandbox.journal().matching("GET", "api/v1/stopJob.jsp")).isNotEmpty();
        assertThat(sandbox.infoLink().jobStatus(runId)).isEqualTo("stopped");
        assertThat(jobpilot("show", runId, "--json").json().path("run").path("outcome").asText()).isEqualTo("STOPPED");
        Cli again = jobpilot("stop", runId);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("has already ended STOPPED");
    }

    @Test
    void aJobStoppedInInfoLinkEndsStopped() {
        run(scenario(JobScript.create().runningPolls(1).endsStopped()));

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(5);
        assertThat(last.json().path("outcome").asText()).isEqualTo("STOPPED");
    }

    @Test
    void transientFailuresAreRetriedWithoutASecondJob() {
        sandbox.faults().add(Fault.on("POST", "api/v1/executeJob.jsp").status(503).times(1));
        sandbox.faults().add(Fault.on("GET", "api/v1/getJobStatus.jsp").status(502).times(2));
        int jobsBefore = sandbox.infoLink().jobCount();
        run(scenario(JobScript.create().runningPolls(1).result("rows", 1)));

        assertThat(last.exitCode()).as(last.toString()).isZero();
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
        resumeCompletedJob(runId, 3);
        assertThat(last.err()).contains("resuming infolink-job");
        assertThat(jobpilot("show", runId, "--json").out()).contains("RESUMED");
    }

    /** Lets the job finish, resumes the run, and checks it ends with the results and still only one executeJob. */
    private void resumeCompletedJob(String runId, int records) throws Exception {
        sandbox.infoLink().complete(runId);
        last = jobpilot("resume", runId, "--json");
        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(calls("executeJob")).hasSize(1);
        assertThat(lines(runDir(runId).resolve("results/rows.ndjson"))).hasSize(records);
    }

    @Test
    void aResumedRunThatNeverRecordedItsStartAdoptsTheJobInsteadOfStartingItAgain() throws Exception {
        String runId = run(scenario(JobScript.create().runsForever().result("rows", 2)), "--timeout", "200ms", "--on-timeout", "detach");
        assertThat(last.exitCode()).as(last.toString()).isEqualTo(6);
        try (Ledger ledger = Ledger.open(dbUrl(), "sa", "", 2); var c = ledger.dataSource().getConnection();
             var forget = c.prepareStatement("DELETE FROM jp_run_step WHERE run_id = ?")) {
            forget.setString(1, runId);     // as if the process died between the POST and the ledger write
            forget.executeUpdate();
        }
        resumeCompletedJob(runId, 2);
        assertThat(last.err()).contains("already started before the interruption");
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
        last = jobpilot(args.toArray(String[]::new));

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(2);
        assertThat(last.err()).contains(expected);
        assertThat(sandbox.journal().all()).isEmpty();
    }

    @Test
    void anOperationFileIsSentAsItIs() throws Exception {
        Path op = tmp.resolve("op.json");
        Files.writeString(op, "{\"opName\":\"MatchOneSource\",\"opParams\":{\"source\":\"crm\"}}");
        sandbox.infoLink().script("MatchOneSource", JobScript.create().runningPolls(0).result("matches", 2));
        String runId = "o" + System.nanoTime();
        last = jobpilot("run", "infolink-job", "-p", "app-id=7", "-p", "operation=" + op, "--run-id", runId, "--json");

        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(Json.MAPPER.readTree(calls("executeJob").get(0).body()).path("operation").path("opParams").path("source").asText())
                .isEqualTo("crm");
        assertThat(lines(runDir(runId).resolve("results/matches.ndjson"))).hasSize(2);
    }
}
