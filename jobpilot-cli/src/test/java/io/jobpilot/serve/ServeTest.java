package io.jobpilot.serve;

import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.ServeTestSupport;
import io.jobpilot.support.TestHttp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** jobpilot serve: the HTTP API, health, metrics, schedules and adoption, over real HTTP, through the real routes. */
class ServeTest extends ServeTestSupport {
    @Test
    void theApiStartsListsShowsAndStopsRuns() throws Exception {
        sandbox.oneIntegrate().existingSession("Api/Quick", SessionScript.create().runningPolls(2).task("t", 1500));
        sandbox.oneIntegrate().existingSession("Api/Slow", SessionScript.create().runningPolls(1_000_000));
        serve(Map.of());

        HttpResponse<String> started = call("POST", "/api/runs",
                "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Api/Quick\"},\"runId\":\"api-1\"}", null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(json(started).path("runId").asText()).isEqualTo("api-1");
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCEEDED".equals(outcomeOf("api-1")));
        assertThat(lines(runDir("api-1").resolve("tasks/t/reports.ndjson"))).hasSize(1500);

        HttpResponse<String> again = call("POST", "/api/runs",
                "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Api/Quick\"},\"runId\":\"api-1\"}", null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("run").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(sandbox.journal().count("POST", "sessions/Api/Quick")).isEqualTo(1);

        HttpResponse<String> list = call("GET", "/api/runs?state=SUCCEEDED&workflow=oneintegrate-session", null, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).findValuesAsText("runId")).contains("api-1");

        call("POST", "/api/runs", "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Api/Slow\"},\"runId\":\"api-2\"}", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.journal().count("GET", "results/Api/Slow/status") >= 2);
        HttpResponse<String> stop = call("POST", "/api/runs/api-2/stop", null, null);
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "STOPPED".equals(outcomeOf("api-2")));
        assertThat(sandbox.oneIntegrate().status("Api/Slow")).isEqualTo("Paused");

        assertThat(call("GET", "/api/runs/nope", null, null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/runs/api-1/stop", null, null).statusCode()).isEqualTo(409);
    }

    @Test
    void aStopRightAfterTheStartIsTakenNotRefused() throws Exception {
        serve(Map.of());
        sandbox.oneIntegrate().existingSession("Api/StopAtOnce", SessionScript.create().runningPolls(1000).task("t", 1));
        call("POST", "/api/runs", "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Api/StopAtOnce\"},\"runId\":\"api-at-once\"}", null);

        HttpResponse<String> stop = call("POST", "/api/runs/api-at-once/stop", null, null);

        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "STOPPED".equals(outcomeOf("api-at-once")));
        assertThat(sandbox.oneIntegrate().status("Api/StopAtOnce")).isEqualTo("Paused");
    }

    @Test
    void aPostFromAnotherSitesPageIsRefusedAndChangesNothing() throws Exception {
        serve(Map.of());
        sandbox.oneIntegrate().existingSession("Api/CrossSite", SessionScript.create().runningPolls(1000).task("t", 1));
        call("POST", "/api/runs", "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Api/CrossSite\"},\"runId\":\"api-cross\"}", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.journal().count("GET", "results/Api/CrossSite/status") >= 2);

        HttpResponse<String> refused = TestHttp.send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs/api-cross/stop"))
                .header("Origin", "https://elsewhere.example").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("another site's page (Origin https://elsewhere.example) is refused");
        long polls = sandbox.journal().count("GET", "results/Api/CrossSite/status");
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.journal().count("GET", "results/Api/CrossSite/status") >= polls + 2);
        assertThat(sandbox.journal().count("POST", "sessions/Api/CrossSite")).as("played, never paused").isEqualTo(1);

        HttpResponse<String> own = TestHttp.send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs/api-cross/stop"))
                .header("Origin", "http://127.0.0.1:" + port).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).as("this server's own page may: " + own.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "STOPPED".equals(outcomeOf("api-cross")));
    }

    @Test
    void badRequestsGetClearFourHundreds() throws Exception {
        serve(Map.of());
        assertBadRequest("not json", "the body must be a JSON object");
        assertBadRequest("[1,2]", "the body must be a JSON object");
        assertBadRequest("{\"params\":{}}", "'workflow' is required");
        assertBadRequest("{\"workflow\":\"nope\"}", "unknown workflow 'nope'");
        assertBadRequest("{\"workflow\":\"oneintegrate-session\",\"params\":{}}", "-p path=FOLDER/SESSION is required");
        assertBadRequest("{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"a\",\"page-size\":\"5000\"}}", "page-size must be between 1 and 1000");
        assertBadRequest("{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"a\"},\"timeout\":\"soon\"}", "'timeout': 'soon' is not a duration");
        HttpResponse<String> form = TestHttp.send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"workflow\":\"oneintegrate-session\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(json(form).path("error").asText()).contains("send Content-Type: application/json");
        HttpResponse<String> huge = call("POST", "/api/runs", "{\"workflow\":\"" + "x".repeat(2_000_000) + "\"}", null);
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(sandbox.journal().all()).isEmpty();
    }

    private void assertBadRequest(String body, String message) throws Exception {
        HttpResponse<String> r = call("POST", "/api/runs", body, null);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).contains(message);
    }

    @Test
    void anApiTokenIsRequiredWhenConfigured() throws Exception {
        serve(Map.of("jobpilot.server.api-token", "s3cret-token"));
        HttpResponse<String> missing = call("GET", "/api/runs", null, null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(json(missing).path("error").asText()).contains("missing or wrong API token");
        HttpResponse<String> wrong = call("POST", "/api/runs", "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"x\"}}", "wrong");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("oneintegrate-session").contains("missing or wrong API token");
        assertThat(sandbox.journal().all()).isEmpty();
        HttpResponse<String> ok = call("GET", "/api/runs", null, "s3cret-token");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Authorization")).isEmpty();
    }

    @Test
    void healthIsUpAndGoesDownWithTheDatabase() throws Exception {
        serve(Map.of());
        HttpResponse<String> up = call("GET", "/observe/health", null, null);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(json(up).path("status").asText()).isEqualTo("UP");

        ((com.zaxxer.hikari.HikariDataSource) runtime.beans().ledger().dataSource()).close();
        HttpResponse<String> down = call("GET", "/observe/health", null, null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("DOWN").contains("ledger");
    }

    @Test
    void metricsExposeJobpilotsMeters() throws Exception {
        sandbox.oneIntegrate().existingSession("Metrics/Run", SessionScript.create().runningPolls(2).task("t", 2100));
        serve(Map.of());
        call("POST", "/api/runs", "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Metrics/Run\"},\"runId\":\"m-1\"}", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCEEDED".equals(outcomeOf("m-1")));

        String metrics = call("GET", "/observe/metrics", null, null).body();
        assertThat(metrics).contains("jobpilot_runs_started_total{workflow=\"oneintegrate-session\"} 1.0")
                .contains("jobpilot_runs_finished_total{outcome=\"SUCCEEDED\",workflow=\"oneintegrate-session\"} 1.0")
                .contains("jobpilot_runs_in_flight 0.0")
                .contains("jobpilot_report_entries_total 2100.0")
                .containsPattern("jobpilot_polls_total\\{vendor=\"1Integrate\"} [3-9]\\.0");
    }

    @Test
    void aRunWhoseEndCannotBeRecordedLeavesTheInFlightGaugeAndIsResumedOnceTheLedgerTakesIt() throws Exception {
        sandbox.oneIntegrate().existingSession("Metrics/EndRefused", SessionScript.create().runningPolls(2).task("t", 5));
        serve(Map.of());
        try (var c = runtime.beans().ledger().dataSource().getConnection(); var st = c.createStatement()) {
            // the database refuses any outcome: the run's end (and its failure's end after it) cannot be written
            st.execute("ALTER TABLE jp_run ADD CONSTRAINT no_outcome CHECK (outcome IS NULL)");
        }
        call("POST", "/api/runs", "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Metrics/EndRefused\"},\"runId\":\"m-refused\"}", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.journal().count("GET", "results/Metrics/EndRefused/report") >= 1
                && call("GET", "/observe/metrics", null, null).body().contains("jobpilot_runs_in_flight 0.0"));

        assertThat(outcomeOf("m-refused")).as("nothing ended it in the ledger").isNotEqualTo("SUCCEEDED");
        assertThat(call("GET", "/observe/metrics", null, null).body()).doesNotContain("jobpilot_runs_finished_total{outcome=\"SUCCEEDED\"");

        // this live node let the run go instead of holding it unended: once the ledger takes its end, it is resumed
        try (var c = runtime.beans().ledger().dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("ALTER TABLE jp_run DROP CONSTRAINT no_outcome");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(outcomeOf("m-refused")));
        assertThat(sandbox.journal().count("POST", "sessions/Metrics/EndRefused")).as("played once").isEqualTo(1);
        assertThat(lines(runDir("m-refused").resolve("tasks/t/reports.ndjson"))).hasSize(5).doesNotHaveDuplicates();
        assertThat(call("GET", "/observe/metrics", null, null).body()).contains("jobpilot_runs_finished_total{outcome=\"SUCCEEDED\",workflow=\"oneintegrate-session\"} 1.0");
    }

    @Test
    void aCronScheduleFiresItsRunCompletesAndOverlapsAreSkipped() throws Exception {
        sandbox.oneIntegrate().existingSession("Scheduled/Fast", SessionScript.create().runningPolls(1).task("t", 10));
        sandbox.oneIntegrate().existingSession("Scheduled/Long", SessionScript.create().runningPolls(1_000_000));
        Map<String, String> schedules = new LinkedHashMap<>();
        schedules.put("jobpilot.schedules.fast.cron", "* * * * * ?");
        schedules.put("jobpilot.schedules.fast.workflow", "oneintegrate-session");
        schedules.put("jobpilot.schedules.fast.params.path", "Scheduled/Fast");
        schedules.put("jobpilot.schedules.long.cron", "* * * * * ?");
        schedules.put("jobpilot.schedules.long.workflow", "oneintegrate-session");
        schedules.put("jobpilot.schedules.long.params.path", "Scheduled/Long");
        serve(schedules);

        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.beans().ledger().list("SUCCEEDED", null, 10).stream()
                .anyMatch(r -> r.result().runId().startsWith("fast-")));
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.beans().ledger().fires("long").stream()
                .anyMatch(f -> f.decision().equals("SKIPPED_OVERLAP")));
        var longFires = runtime.beans().ledger().fires("long");
        assertThat(longFires.stream().filter(f -> f.decision().equals("STARTED")).count()).isEqualTo(1);
        assertThat(sandbox.journal().count("POST", "sessions/Scheduled/Long")).isEqualTo(1);
        HttpResponse<String> health = call("GET", "/observe/health", null, null);
        assertThat(health.body()).contains("scheduler");
    }

    @Test
    void aRestartResumesUnfinishedRunsWithoutStartingThemAgain() throws Exception {
        sandbox.oneIntegrate().existingSession("Restart/Run", SessionScript.create().runningPolls(40).task("t", 1200));
        serve(Map.of());
        call("POST", "/api/runs", "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Restart/Run\"},\"runId\":\"restart-1\"}", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.journal().count("GET", "results/Restart/Run/status") >= 3);
        runtime.close();
        runtime = null;
        assertThat(runJsonMissingOrUnfinished("restart-1")).isTrue();

        serve(Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(outcomeOf("restart-1")));
        assertThat(sandbox.journal().count("POST", "sessions/Restart/Run")).isEqualTo(1);
        assertThat(lines(runDir("restart-1").resolve("tasks/t/reports.ndjson"))).hasSize(1200).doesNotHaveDuplicates();
        assertThat(json(call("GET", "/api/runs/restart-1", null, null)).path("events").toString()).contains("SUSPENDED", "RESUMED");
    }

    private boolean runJsonMissingOrUnfinished(String runId) throws Exception {
        Path f = runDir(runId).resolve("run.json");
        return !f.toFile().exists();
    }
}
