package io.jobpilot.serve;

import io.jobpilot.run.Json;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.ServeTestSupport;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What POST /api/runs and GET /api/runs accept: documents inline, server-side paths only inside
 * jobpilot.server.files-dir, no file content in any answer, every query parameter checked. Over real HTTP.
 */
class ServeApiInputTest extends ServeTestSupport {
    private static final String BATCH = "[{\"Url\":\"Sessions\",\"Method\":\"POST\"},"
            + "{\"Url\":\"Roles/Analyst\",\"Method\":\"PATCH\",\"Payload\":{\"IsActive\":true}}]";
    /** Words of /etc/passwd (its first line on every Linux): none may appear in an answer. */
    private static final String[] PASSWD = {"root", "/bin/", "nologin", "x:0:0"};

    @Test
    void documentsAreTakenInlineAndKeptInTheRunsDirectory() throws Exception {
        sandbox.oneIntegrate().script("Inline/Session", SessionScript.create().runningPolls(1).task("t", 10));
        serve(Map.of());

        HttpResponse<String> batch = call("POST", "/api/runs", "{\"workflow\":\"exago-batch\",\"runId\":\"inline-batch\","
                + "\"params\":{\"batch\":" + BATCH + "}}", null);
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> outcomeOf("inline-batch") != null);
        assertThat(outcomeOf("inline-batch")).isEqualTo("SUCCEEDED");
        assertThat(Json.MAPPER.readTree(sandbox.journal().matching("POST", "rest/batch").get(0).body()))
                .isEqualTo(Json.MAPPER.readTree(BATCH));
        assertThat(Json.MAPPER.readTree(runDir("inline-batch").resolve("inputs/batch.json").toFile()))
                .isEqualTo(Json.MAPPER.readTree(BATCH));

        // the same document as a JSON string is inline too
        HttpResponse<String> session = call("POST", "/api/runs", "{\"workflow\":\"oneintegrate-session\",\"runId\":\"inline-session\","
                + "\"params\":{\"path\":\"Inline/Session\",\"session\":\"{\\\"name\\\":\\\"inline\\\"}\"}}", null);
        assertThat(session.statusCode()).as(session.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> outcomeOf("inline-session") != null);
        assertThat(outcomeOf("inline-session")).isEqualTo("SUCCEEDED");
        assertThat(Json.MAPPER.readTree(sandbox.journal().matching("PUT", "sessions/Inline/Session").get(0).body()).path("name").asText())
                .isEqualTo("inline");
    }

    @Test
    void serverSidePathsAreRefusedWhenNoFilesDirectoryIsSet() throws Exception {
        serve(Map.of());
        String[] bodies = {
                "{\"workflow\":\"exago-batch\",\"params\":{\"batch\":\"/etc/passwd\"}}",
                "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"a/b\",\"session\":\"/etc/passwd\"}}",
                "{\"workflow\":\"infolink-job\",\"params\":{\"app-id\":\"7\",\"operation\":\"/etc/passwd\"}}",
                "{\"workflow\":\"infolink-job\",\"params\":{\"app-id\":\"7\",\"scenario\":\"Main\",\"parameters\":\"/etc/passwd\"}}"};
        for (String body : bodies) {
            HttpResponse<String> r = call("POST", "/api/runs", body, null);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
            assertThat(json(r).path("error").asText()).contains("server-side paths are not accepted (jobpilot.server.files-dir is not set)");
            assertThat(r.body()).doesNotContain(PASSWD);
        }
        HttpResponse<String> runs = call("GET", "/api/runs", null, null);
        assertThat(json(runs)).isEmpty();
        assertThat(out()).satisfiesAnyOf(o -> assertThat(o).doesNotExist(), o -> assertThat(o).isEmptyDirectory());
        assertThat(sandbox.journal().all()).isEmpty();
    }

    @Test
    void insideTheFilesDirectoryPathsWorkAndNothingLeavesIt() throws Exception {
        Path files = Files.createDirectories(tmp.resolve("files"));
        Files.writeString(files.resolve("batch.json"), BATCH);
        Files.writeString(files.resolve("notes.txt"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.createSymbolicLink(files.resolve("link.json"), Path.of("/etc/passwd"));
        serve(Map.of("jobpilot.server.files-dir", files.toString()));

        HttpResponse<String> ok = call("POST", "/api/runs", "{\"workflow\":\"exago-batch\",\"runId\":\"from-dir\","
                + "\"params\":{\"batch\":\"batch.json\"}}", null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> outcomeOf("from-dir") != null);
        assertThat(outcomeOf("from-dir")).isEqualTo("SUCCEEDED");

        for (String path : new String[]{"/etc/passwd", "../../../../../../etc/passwd", "link.json"}) {
            HttpResponse<String> r = call("POST", "/api/runs", "{\"workflow\":\"exago-batch\",\"params\":{\"batch\":\"" + path + "\"}}", null);
            assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(400);
            assertThat(json(r).path("error").asText()).contains("is outside jobpilot.server.files-dir");
            assertThat(r.body()).doesNotContain(PASSWD);
        }
        HttpResponse<String> notJson = call("POST", "/api/runs", "{\"workflow\":\"exago-batch\",\"params\":{\"batch\":\"notes.txt\"}}", null);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).path("error").asText()).contains("is not valid JSON at line 1 column ");
        assertThat(notJson.body()).doesNotContain(PASSWD);
        assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(1);
    }

    @Test
    void anInlineDocumentThatIsNotJsonIsPlacedNotQuoted() throws Exception {
        serve(Map.of());
        HttpResponse<String> r = call("POST", "/api/runs", "{\"workflow\":\"exago-batch\",\"params\":{\"batch\":\"[root:x:0:0\"}}", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).isEqualTo("exago-batch: params.batch is not valid JSON at line 1 column 6");
        HttpResponse<String> body = call("POST", "/api/runs", "root:x:0:0:root", null);
        assertThat(body.statusCode()).isEqualTo(400);
        assertThat(json(body).path("error").asText()).startsWith("the body must be a JSON object: it is not valid JSON at line 1");
        assertThat(body.body()).doesNotContain(PASSWD);

        // a document written for a request that then fails validation does not stay behind
        HttpResponse<String> empty = call("POST", "/api/runs", "{\"workflow\":\"exago-batch\",\"params\":{\"batch\":[]}}", null);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).path("error").asText()).contains("is an empty array");
        assertThat(out()).satisfiesAnyOf(o -> assertThat(o).doesNotExist(), o -> assertThat(o).isEmptyDirectory());
    }

    @Test
    void everyQueryParameterIsChecked() throws Exception {
        serve(Map.of());
        assertBadQuery("/api/runs?limit=-1", "'limit' must be a whole number from 1 to 1000, not '-1'");
        assertBadQuery("/api/runs?limit=0", "'limit' must be a whole number from 1 to 1000, not '0'");
        assertBadQuery("/api/runs?limit=1001", "'limit' must be a whole number from 1 to 1000");
        assertBadQuery("/api/runs?limit=ten", "'limit' must be a whole number from 1 to 1000, not 'ten'");
        assertBadQuery("/api/runs?state=DONE", "unknown state 'DONE' (known: PENDING, RUNNING,");
        assertBadQuery("/api/runs?workflow=nope", "unknown workflow 'nope' (known: ");
        assertBadQuery("/api/runs?sate=RUNNING", "GET /api/runs: unknown query parameter 'sate' (known: limit, state, workflow)");
        assertBadQuery("/api/runs?state=", "query parameter 'state' has no value");
        assertBadQuery("/api/runs?limit=1&limit=2", "query parameter 'limit' is given more than once");
        assertBadQuery("/api/runs/some-run?verbose=1", "GET /api/runs/{runId}: unknown query parameter 'verbose' (it takes none)");
        HttpResponse<String> stop = call("POST", "/api/runs/some-run/stop?force=true", null, null);
        assertThat(stop.statusCode()).isEqualTo(400);
        assertThat(json(stop).path("error").asText()).contains("unknown query parameter 'force'");

        HttpResponse<String> ok = call("GET", "/api/runs?state=succeeded&workflow=exago-batch&limit=1000", null, null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).isArray()).isTrue();
    }

    private void assertBadQuery(String path, String message) throws Exception {
        HttpResponse<String> r = call("GET", path, null, null);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).contains(message);
    }
}
