package io.jobpilot.serve;

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

/** GET /api/runs/{runId}/artifacts/{path}: a run's files over the API, and nothing outside the run's folder. */
class ServeArtifactsTest extends ServeTestSupport {

    private String finishedRun(Map<String, String> serveProperties, String token) throws Exception {
        sandbox.oneIntegrate().existingSession("Api/Files", SessionScript.create().runningPolls(1).task("t", 3));
        serve(serveProperties);
        HttpResponse<String> started = call("POST", "/api/runs",
                "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Api/Files\"},\"runId\":\"files-1\"}", token);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(json(call("GET", "/api/runs/files-1", null, token))
                .path("run").path("outcome").asText(null)));
        return "files-1";
    }

    @Test
    void aRunsFilesAreServedAsTheRunWroteThem() throws Exception {
        String runId = finishedRun(Map.of(), null);
        Path dir = runDir(runId);

        HttpResponse<String> runJson = call("GET", "/api/runs/" + runId + "/artifacts/run.json", null, null);
        assertThat(runJson.statusCode()).as(runJson.body()).isEqualTo(200);
        assertThat(runJson.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(runJson.body()).isEqualTo(Files.readString(dir.resolve("run.json")));

        HttpResponse<String> reports = call("GET", "/api/runs/" + runId + "/artifacts/tasks/t/reports.ndjson", null, null);
        assertThat(reports.statusCode()).isEqualTo(200);
        assertThat(reports.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(reports.body().lines()).hasSize(3);
    }

    @Test
    void nothingOutsideTheRunsFolderIsServed() throws Exception {
        String runId = finishedRun(Map.of(), null);
        Files.writeString(tmp.resolve("secret.txt"), "not a run's file");
        Files.createSymbolicLink(runDir(runId).resolve("link.txt"), tmp.resolve("secret.txt"));

        for (String path : new String[]{"../../secret.txt", "..%2F..%2Fsecret.txt", "%2Fetc%2Fhostname", "link.txt", "tasks", "nothing.json"}) {
            HttpResponse<String> r = call("GET", "/api/runs/" + runId + "/artifacts/" + path, null, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isIn(400, 404);
            assertThat(r.body()).as(path).doesNotContain("not a run's file");
        }
        assertThat(call("GET", "/api/runs/no-such-run/artifacts/run.json", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void withAnApiTokenTheFilesNeedItToo() throws Exception {
        String runId = finishedRun(Map.of("jobpilot.server.api-token", "s3cret-token"), "s3cret-token");
        assertThat(call("GET", "/api/runs/" + runId + "/artifacts/run.json", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/runs/" + runId + "/artifacts/run.json", null, "s3cret-token").statusCode()).isEqualTo(200);
    }
}
