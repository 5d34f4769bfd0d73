package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Json;
import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunResult;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.sandbox.oneintegrate.SessionScript;

import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The second half of `jobpilot demo`: the long-lived runtime on a free port, with a cron schedule that fires every
 * three seconds and a run started over the HTTP API. It keeps its own fresh ledger (a temporary directory), so it can
 * never adopt a real unfinished run of yours, nor replay an earlier demo's schedule.
 */
final class ServeDemo {
    static final String SCHEDULED_SESSION = "Demo/Nightly Checks";

    private ServeDemo() {
    }

    /** @return the runs it saw end, scheduled first */
    static List<RunResult> run(Sandbox sandbox, JobpilotConfig base, PrintWriter out, PrintWriter err) throws Exception {
        sandbox.oneIntegrate().existingSession(SCHEDULED_SESSION, SessionScript.create().runningPolls(2).task("nightly", 2500));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> serve = new LinkedHashMap<>();
        serve.put("jobpilot.server.port", String.valueOf(port));
        java.nio.file.Path ledgerDir = java.nio.file.Files.createTempDirectory("jobpilot-demo-serve");
        serve.put("jobpilot.db.url", "jdbc:h2:file:" + ledgerDir.resolve("ledger") + ";AUTO_SERVER=TRUE");
        serve.put("jobpilot.schedules.demo-nightly.cron", "0/3 * * * * ?");
        serve.put("jobpilot.schedules.demo-nightly.workflow", "oneintegrate-session");
        serve.put("jobpilot.schedules.demo-nightly.params.path", SCHEDULED_SESSION);
        JobpilotConfig cfg = base.with(serve);
        String api = "http://127.0.0.1:" + port;
        out.println();
        out.println("jobpilot serve on " + api + ": schedule demo-nightly fires every 3 s; one run is started with POST /api/runs");
        out.flush();
        List<RunResult> ended = new ArrayList<>();
        try (JobpilotRuntime runtime = JobpilotRuntime.serve(cfg, Progress.parse("stderr", err))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(api + "/api/runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of(
                            "workflow", "iics-export", "params", Map.of("objects", "l7bgB85m5oGiXObDxwnvK9", "name", DemoCommand.DEMO_EXPORT)))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String apiRun = Json.MAPPER.readTree(started.body()).path("runId").asText();
            out.println("POST /api/runs -> " + started.statusCode() + " " + started.body());
            var ledger = runtime.beans().ledger();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            Optional<RunResult> scheduled = Optional.empty();
            Optional<RunResult> viaApi = Optional.empty();
            while (Instant.now().isBefore(deadline) && (scheduled.isEmpty() || viaApi.isEmpty())) {
                Thread.sleep(250);
                scheduled = ledger.list(null, "oneintegrate-session", 20).stream().map(LedgerRun::result)
                        .filter(r -> r.runId().startsWith("demo-nightly-") && r.outcome() != null).findFirst();
                viaApi = ledger.find(apiRun).map(LedgerRun::result).filter(r -> r.outcome() != null);
            }
            scheduled.ifPresent(ended::add);
            viaApi.ifPresent(ended::add);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(api + "/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.println("GET /observe/health -> " + health.statusCode() + " " + Json.MAPPER.readTree(health.body()).path("status").asText());
            out.flush();
        }
        return ended;
    }
}
