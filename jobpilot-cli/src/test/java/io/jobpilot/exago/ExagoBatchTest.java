package io.jobpilot.exago;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Exago batch workflow through the command line, the real routes and the Exago simulator over HTTP. */
class ExagoBatchTest extends JobpilotTestSupport {
    private static final String SESSION = "{\"Url\":\"Sessions\",\"Method\":\"POST\"}";
    private static final String ROLE_OK = "{\"Url\":\"Roles/Analyst\",\"Method\":\"PATCH\",\"Payload\":{\"IsActive\":true}}";
    private static final String PARAMETER = "{\"Url\":\"Parameters\",\"Method\":\"POST\",\"Payload\":{\"Id\":\"Region\","
            + "\"DataType\":\"String\",\"Value\":\"EMEA\",\"PromptText\":\"Region\",\"IsHidden\":true}}";

    private Path batch(String... items) throws Exception {
        Path f = tmp.resolve("batch-" + System.nanoTime() + ".json");
        Files.writeString(f, "[" + String.join(",", items) + "]");
        return f;
    }

    private RunCommand batchRun(Path batch) {
        return workflow("exago-batch").param("batch", batch);
    }

    @Test
    void threeItemBatchSucceedsAndKeepsTheAppUrlInSessionJsonOnly() throws Exception {
        Ran ran = batchRun(batch(SESSION, ROLE_OK, PARAMETER)).with("-p", "config-name=WebReports").run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        JsonNode result = ran.json();
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("counts").path("items").asInt()).isEqualTo(3);
        assertThat(result.path("counts").path("itemsFailed").asInt()).isZero();
        Path dir = runDir(ran.runId());
        JsonNode session = Json.MAPPER.readTree(dir.resolve("session.json").toFile());
        String appUrl = session.path("AppUrl").asText();
        assertThat(appUrl).startsWith("ExagoHome.aspx?d=");
        assertThat(result.path("remoteIds").path("session").asText()).isEqualTo(session.path("Id").asText());
        assertThat(sandbox.exago().hasSession(session.path("Id").asText())).isTrue();
        assertThat(Json.MAPPER.readTree(dir.resolve("batch-request.json").toFile())).hasSize(3);
        String response = Files.readString(dir.resolve("batch-response.json"));
        assertThat(response).contains("\"ReturnCode\" : \"201\"", "\"ReturnCode\" : \"204\"").doesNotContain(appUrl);
        assertThat(ran.out() + ran.err() + Files.readString(dir.resolve("run.json"))).doesNotContain(appUrl);
        assertThat(jobpilot("show", ran.runId(), "--json").out()).doesNotContain(appUrl);

        var calls = sandbox.journal().matching("POST", "rest/batch");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).query()).isEqualTo("config=WebReports");
        assertThat(calls.get(0).authorization()).isEqualTo(new ExagoAuth("jobpilot", "exago-rest-key-1").header());
    }

    @Test
    void aFailingMiddleItemFailsTheRunNamingItWithoutAStackTraceOnTheConsole() throws Exception {
        Ran ran = batchRun(batch(SESSION, "{\"Url\":\"Roles/Missing\",\"Method\":\"PATCH\",\"Payload\":{\"IsActive\":true}}",
                PARAMETER)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(3);
        JsonNode error = runJson(ran.runId()).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("REMOTE_JOB");
        assertThat(error.path("step").asText()).isEqualTo("batch item 2");
        assertThat(error.path("vendorCode").asText()).isEqualTo("404");
        assertThat(error.path("message").asText()).contains("item 2 of 3 (PATCH Roles/Missing) answered 404: Role 'Missing' does not exist");
        assertThat(ran.out() + ran.err()).doesNotContain("BatchController");
        assertThat(Files.readString(runDir(ran.runId()).resolve("batch-response.json"))).contains("BatchController");
        assertThat(runJson(ran.runId()).path("counts").path("itemsFailed").asInt()).isEqualTo(1);
        assertThat(runDir(ran.runId()).resolve("session.json")).exists();
    }

    @Test
    void aResumedRunNeverSendsItsBatchAgain() throws Exception {
        Ran ran = batchRun(batch(SESSION, ROLE_OK)).run();
        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        String runId = ran.runId();

        reopenInLedger(runId, null);                 // interrupted after the answer was recorded: checked from disk
        assertThat(jobpilot("resume", runId).exitCode()).isZero();

        reopenInLedger(runId, "batch-answered");     // interrupted between sending and recording the answer
        Cli undecided = jobpilot("resume", runId, "--json");
        assertThat(undecided.exitCode()).as(undecided.toString()).isEqualTo(3);
        assertThat(undecided.json().path("error").path("kind").asText()).isEqualTo("UNCERTAIN_START");
        assertThat(undecided.json().path("error").path("message").asText()).contains("was not sent again", "--restart-start");
        assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(1);

        Cli again = jobpilot("resume", runId, "--json");          // asking again cannot decide either: still not sent
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(1);

        Cli restarted = jobpilot("resume", runId, "--restart-start", "--json");   // the user checked Exago: send it once more
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(2);
    }

    /** Makes an ended run look interrupted, optionally forgetting one recorded step. */
    private void reopenInLedger(String runId, String forgetStep) throws Exception {
        try (Ledger ledger = Ledger.open(dbUrl(), "sa", "", 2); var c = ledger.dataSource().getConnection();
             var reopen = c.prepareStatement("UPDATE jp_run SET outcome = NULL, state = 'RUNNING' WHERE run_id = ?");
             var forget = c.prepareStatement("DELETE FROM jp_run_step WHERE run_id = ? AND step = ?")) {
            reopen.setString(1, runId);
            reopen.executeUpdate();
            forget.setString(1, runId);
            forget.setString(2, String.valueOf(forgetStep));
            forget.executeUpdate();
        }
    }

    @Test
    void wrongCredentialsAreAnAuthenticationErrorAndNotRetried() {
        Ran ran = batchRun(batchUnchecked(SESSION)).with("--set", "jobpilot.exago.rest-key=wrong-key").run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(7);
        JsonNode error = ran.json().path("error");
        assertThat(error.path("kind").asText()).isEqualTo("AUTHENTICATION");
        assertThat(error.path("message").asText()).contains("Unauthorized", "jobpilot.exago.rest-key").doesNotContain("wrong-key");
        assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(1);
        assertThat(runDir(ran.runId()).resolve("session.json")).doesNotExist();
    }

    @Test
    void anHtml500MeansRestIsNotEnabled() {
        sandbox.exago().restEnabled(false);
        Ran ran;
        try {
            ran = batchRun(batchUnchecked(SESSION)).run();
        } finally {
            sandbox.exago().restEnabled(true);
        }

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(7);
        assertThat(ran.json().path("error").path("message").asText()).contains("HTML page 'Runtime Error'", "REST is probably not enabled",
                "ExagoREST");
        assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(1);
    }

    @Test
    void anAnswerWithFewerItemsThanSentIsReported() throws Exception {
        sandbox.exago().stopAtFirstFailure(true);
        Ran ran;
        try {
            ran = batchRun(batch(SESSION, "{\"Url\":\"Roles/Missing\",\"Method\":\"PATCH\"}", PARAMETER)).run();
        } finally {
            sandbox.exago().stopAtFirstFailure(false);
        }

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(3);
        assertThat(runJson(ran.runId()).path("counts").path("itemsAnswered").asInt()).isEqualTo(2);
        assertThat(runJson(ran.runId()).path("warnings").toString()).contains("Exago answered 2 item(s) for the 3 sent");
    }

    @Test
    void only503IsRetried() {
        sandbox.faults().add(Fault.on("POST", "rest/batch").status(503).times(2));
        Ran ran = batchRun(batchUnchecked(SESSION, ROLE_OK)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "config-name=Missing | Unable to load configuration | config-name",
            "sid=00000000-0000-0000-0000-000000000000 | setupD is null | -p sid does not name a live API session"})
    void vendorReasonsAreClassified(String param, String reason, String advice) {
        Ran ran = batchRun(batchUnchecked(SESSION)).with("-p", param).run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(7);
        assertThat(ran.json().path("error").path("message").asText()).contains(reason, advice);
    }

    @Test
    void aBatchOnAnExistingSessionNeedsNoPostSessions() throws Exception {
        String sid = sandbox.exago().existingSession();
        Ran ran = batchRun(batch(ROLE_OK, PARAMETER)).with("-p", "sid=" + sid).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(ran.json().path("remoteIds").path("session").asText()).isEqualTo(sid);
        assertThat(sandbox.journal().matching("POST", "rest/batch").get(0).query()).isEqualTo("sid=" + sid);
        assertThat(Json.MAPPER.readTree(runDir(ran.runId()).resolve("session.json").toFile()).path("created").asBoolean(true)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "{\"Url\":\"Sessions\",\"Method\":\"POST\"} => must be a JSON array of {Url, Method, Payload} objects, not a JSON object",
            "[{\"Url\":\"Sessions\",\"Method\":\"PUT\"}] => item 1 of 1 (Sessions) has Method 'PUT': it must be one of POST, PATCH, GET, DELETE",
            "[{\"Url\":\"Roles/Analyst\",\"Method\":\"PATCH\"}] => item 1 is PATCH Roles/Analyst: without -p sid the first item must be",
            "[{\"Url\":\"Sessions\",\"Method\":\"POST\"},{\"Url\":\"Sessions/abc\",\"Method\":\"GET\"}] => item 2 of 2 is GET Sessions/abc: GET|PATCH|DELETE Sessions/{sid} are not supported in a batch",
            "[{\"Url\":\"Sessions\",\"Method\":\"POST\"},{\"url\":\"Roles/A\",\"Method\":\"PATCH\"}] => item 2 of 2 has an unknown field 'url'",
            "[{\"Url\":\"Sessions\",\"Method\":\"POST\"},{\"Url\":\"roles/A\",\"Method\":\"PATCH\"}] => item 2 of 2 has Url 'roles/A': it is the resource after /rest/ and starts with a capital",
            "[{\"Url\":\"Sessions\",\"Method\":\"POST\"}, 7] => item 2 of 2 is a JSON number, not an object",
            "[] => is an empty array",
            "not json => is not valid JSON"})
    void aBadBatchExitsTwoBeforeAnyHttpCall(String content, String expected) throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, content);
        Ran ran = batchRun(f).run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(2);
        assertThat(ran.err()).contains(expected);
        assertThat(sandbox.journal().all()).isEmpty();
    }

    @Test
    void aFileThatIsNotJsonIsPlacedNotQuoted() throws Exception {
        Path f = tmp.resolve("passwd");
        Files.writeString(f, "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n");
        Ran ran = batchRun(f).run();

        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(2);
        assertThat(ran.err().strip().lines()).hasSize(1);
        assertThat(ran.err()).contains("-p batch=" + f + " is not valid JSON at line 1 column ");
        assertThat(ran.err()).doesNotContain("root:", "'root'", "daemon", "bash");
        assertThat(sandbox.journal().all()).isEmpty();
    }

    @Test
    void missingAndMisspeltParametersExitTwo() throws Exception {
        Cli noBatch = jobpilot("run", "exago-batch");
        assertThat(noBatch.exitCode()).isEqualTo(2);
        assertThat(noBatch.err()).contains("-p batch=FILE is required");
        Ran xmlName = batchRun(batch(SESSION)).with("-p", "config-name=WebReports.xml").run();
        assertThat(xmlName.exitCode()).isEqualTo(2);
        assertThat(xmlName.err()).contains("without '.xml'");
        assertThat(sandbox.journal().all()).isEmpty();
    }

    private Path batchUnchecked(String... items) {
        try {
            return batch(items);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
