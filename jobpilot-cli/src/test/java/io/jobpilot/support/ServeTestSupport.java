package io.jobpilot.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Json;
import io.jobpilot.run.Progress;
import io.jobpilot.app.JobpilotRuntime;
import org.junit.jupiter.api.AfterEach;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Base of the tests of jobpilot serve: the long-lived runtime in this JVM on a free port, called over real HTTP. */
public abstract class ServeTestSupport extends JobpilotTestSupport {
    protected final HttpClient client = TestHttp.client();
    protected JobpilotRuntime runtime;
    protected int port;

    /** A free port for the next {@link #serve}. */
    protected int freePort() throws Exception {
        port = FreePorts.forServer();
        return port;
    }

    /** Starts serve mode with the test properties, fast lease renewal and {@code extra}, on {@link #port} (or a free one). */
    protected JobpilotRuntime serve(Map<String, String> extra) throws Exception {
        if (port == 0) {
            freePort();
        }
        Map<String, String> props = new LinkedHashMap<>(testProperties());
        props.put("jobpilot.server.port", String.valueOf(port));
        props.put("jobpilot.serve.lease-renewal", "200ms");
        props.put("jobpilot.serve.lease", "2s");
        props.putAll(extra);
        runtime = JobpilotRuntime.serve(JobpilotConfig.of(props), new Progress(Progress.Mode.OFF, new PrintWriter(new StringWriter())));
        return runtime;
    }

    @AfterEach
    void stopServe() {
        if (runtime != null) {
            runtime.close();
        }
    }

    protected HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return TestHttp.send(client, b.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** The run's outcome as the API shows it (null while it runs). */
    protected String outcomeOf(String runId) throws Exception {
        return json(call("GET", "/api/runs/" + runId, null, null)).path("run").path("outcome").asText(null);
    }
}
