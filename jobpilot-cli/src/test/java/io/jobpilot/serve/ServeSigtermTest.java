package io.jobpilot.serve;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import io.jobpilot.support.TestHttp;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** `jobpilot serve` gets SIGTERM in the middle of a run: it exits promptly, and the next start finishes the run. */
class ServeSigtermTest extends JobpilotTestSupport {

    @Test
    void sigtermMidRunThenStartAgainFinishesTheRun() throws Exception {
        sandbox.oneIntegrate().existingSession("Sigterm/Run", SessionScript.create().runningPolls(60).task("t", 2200));
        int port = io.jobpilot.support.FreePorts.forServer();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.jobpilot.cli.JobpilotCommand"));
        cmd.addAll(List.of(withTestProperties("serve", "--set", "jobpilot.server.port=" + port)));
        Process serve = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("serve.log").toFile()).start();
        HttpClient client = TestHttp.client();
        String base = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> TestHttp.send(client, HttpRequest.newBuilder(URI.create(base
                + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        HttpResponse<String> started = TestHttp.send(client, HttpRequest.newBuilder(URI.create(base + "/api/runs")).POST(HttpRequest.BodyPublishers
                .ofString("{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"Sigterm/Run\"},\"runId\":\"sigterm-1\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.journal().count("GET", "results/Sigterm/Run/status") >= 3);

        long t0 = System.nanoTime();
        serve.destroy(); // SIGTERM
        assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as(Files.readString(tmp.resolve("serve.log"))).isTrue();
        long stopMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(stopMs).as("time to exit after SIGTERM").isLessThan(15_000);

        Map<String, String> props = new LinkedHashMap<>(testProperties());
        props.put("jobpilot.server.port", String.valueOf(port));
        try (JobpilotRuntime again = JobpilotRuntime.serve(JobpilotConfig.of(props),
                new Progress(Progress.Mode.OFF, new PrintWriter(new StringWriter())))) {
            var ledger = again.beans().ledger();
            assertThat(ledger.find("sigterm-1").orElseThrow().events().stream().map(e -> e.state())).contains("SUSPENDED");
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find("sigterm-1").orElseThrow().result().outcome() != null);
            assertThat(ledger.find("sigterm-1").orElseThrow().result().outcome().name()).isEqualTo("SUCCEEDED");
        }
        assertThat(sandbox.journal().count("POST", "sessions/Sigterm/Run")).isEqualTo(1);
        assertThat(lines(runDir("sigterm-1").resolve("tasks/t/reports.ndjson"))).hasSize(2200).doesNotHaveDuplicates();
    }
}
