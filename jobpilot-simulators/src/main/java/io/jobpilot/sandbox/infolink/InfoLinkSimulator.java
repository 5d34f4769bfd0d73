package io.jobpilot.sandbox.infolink;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;
import io.jobpilot.sandbox.VendorSimulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful InfoLink job API (shared/reference/vendor-apis.md §5) in both path styles ({@code /api/v1/executeJob.jsp}
 * and {@code /api/v1/executeJob}): API key in the JSON body (POST) or query string (GET), the
 * {@code {"status","result"}} envelope with errors on HTTP 200, async jobs that stay "running" (a word the docs do not
 * name) for a scripted number of polls, completed / completedWithError / stopped, synchronous jobs with inline
 * results, both stop paths ({@code stopJob} and {@code stop}), and result sets of any size streamed as they are made.
 */
public final class InfoLinkSimulator implements VendorSimulator {
    public static final String API_KEY = "infolink-api-key-1";
    public static final String APP_ID = "7";
    private static final byte[] COMMA = {','};

    private final Map<String, SimJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, JobScript> scripts = new ConcurrentHashMap<>();
    private final Set<String> apps = ConcurrentHashMap.newKeySet();

    private static final class SimJob {
        final String id;
        final JobScript script;
        final AtomicInteger polls = new AtomicInteger();
        volatile boolean stopRequested;
        volatile int pollsSinceStop;
        volatile String status;

        SimJob(String id, JobScript script) {
            this.id = id;
            this.script = script;
            this.status = script.runningWord;
        }

        boolean isTerminal() {
            return !status.equals(script.runningWord);
        }
    }

    public InfoLinkSimulator() {
        apps.add(APP_ID);
    }

    @Override
    public String root() {
        return "/infolink";
    }

    @Override
    public String vendor() {
        return "InfoLink";
    }

    @Override
    public String describe(String baseUrl) {
        return "InfoLink   " + baseUrl + "  API key " + API_KEY + ", app " + String.join(", ", apps) + "  (scenarios: "
                + String.join(", ", scripts.keySet()) + ")";
    }

    // ---- scripting (tests, demo) ------------------------------------------------------------------------------------

    /** How jobs of this scenario (or, for other operations, this opName) behave. */
    public InfoLinkSimulator script(String scenarioOrOpName, JobScript script) {
        scripts.put(scenarioOrOpName, script);
        return this;
    }

    /** The status a job would report now (null: no such job). */
    public String jobStatus(String jobId) {
        SimJob j = jobs.get(jobId);
        return j == null ? null : j.status;
    }

    /** Lets a job that was scripted to run forever complete at its next poll. */
    public void complete(String jobId) {
        SimJob j = jobs.get(jobId);
        if (j != null) {
            j.script.runningPolls = 0;
        }
    }

    public int jobCount() {
        return jobs.size();
    }

    // ---- the API ----------------------------------------------------------------------------------------------------

    @Override
    public void handle(SimRequest r) throws IOException {
        String call = r.path().startsWith("api/v1/") ? r.path().substring(7).replaceAll("\\.jsp$", "") : "";
        JsonNode body = r.method().equals("POST") ? parse(r.body()) : null;
        String apiKey = body != null ? body.path("apiKey").asText(null) : r.query("apiKey");
        String appId = body != null ? body.path("appId").asText(null) : r.query("appId");
        if (r.method().equals("POST") && body == null) {
            error(r, 200, "Malformed JSON in the request body.");
        } else if (apiKey == null || apiKey.isEmpty()) {
            error(r, 200, "apiKey parameter is required.");
        } else if (!apiKey.equals(API_KEY)) {
            error(r, 200, "Invalid API key.");
        } else if (appId == null || appId.isEmpty()) {
            error(r, 200, "appId parameter is required.");
        } else if (!apps.contains(appId)) {
            error(r, 200, "App with id '" + appId + "' does not exist.");
        } else {
            switch (r.method() + " " + call) {
                case "POST executeJob" -> execute(r, body);
                case "GET getJobStatus" -> withJob(r, this::status);
                case "GET stopJob", "GET stop" -> withJob(r, this::stop);
                default -> r.send(404, "text/html", ("<html><head><title>HTTP Status 404 - Not Found</title></head><body>"
                        + r.path() + "</body></html>").getBytes(StandardCharsets.UTF_8), Map.of());
            }
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void error(SimRequest r, int httpStatus, String message) throws IOException {
        r.json(httpStatus, Json.write(Map.of("status", "error", "result", Map.of("message", message))));
    }

    private void execute(SimRequest r, JsonNode body) throws IOException {
        JsonNode op = body.path("operation");
        if (!op.path("opName").isTextual()) {
            error(r, 200, "operation parameter is required.");
            return;
        }
        String key = op.path("opName").asText().equals("RunScenario") ? op.path("opParams").path("scenario").asText() : op.path("opName").asText();
        JobScript script = scripts.getOrDefault(key, JobScript.create().result("rows", 10));
        if (script.rejection != null) {
            error(r, script.errorHttpStatus, script.rejection);
            return;
        }
        String id = body.hasNonNull("jobId") ? body.get("jobId").asText() : UUID.randomUUID().toString();
        SimJob job = jobs.computeIfAbsent(id, k -> new SimJob(k, script));
        if (!body.path("isAsync").asBoolean(true)) {
            job.status = "completed";
            boolean schema = !body.path("noResultSchema").asBoolean(false);
            r.stream(200, "application/json", out -> {
                write(out, "{\"result\":{");
                writeResults(out, job.script, schema);
                write(out, "},\"status\":\"success\"}");
            });
            return;
        }
        r.json(200, Json.write(Map.of("status", "success", "result", Map.of("jobId", job.id))));
    }

    @FunctionalInterface
    private interface JobCall {
        void answer(SimRequest r, SimJob job) throws IOException;
    }

    private void withJob(SimRequest r, JobCall call) throws IOException {
        SimJob job = r.query("jobId") == null ? null : jobs.get(r.query("jobId"));
        if (job == null) {
            error(r, 200, r.query("jobId") == null ? "jobId parameter is required." : "Job '" + r.query("jobId") + "' not found.");
            return;
        }
        call.answer(r, job);
    }

    private void status(SimRequest r, SimJob job) throws IOException {
        synchronized (job) {
            if (!job.isTerminal()) {
                int polls = job.polls.incrementAndGet();
                if (job.stopRequested) {
                    if (++job.pollsSinceStop >= job.script.stopPolls) {
                        job.status = "stopped";
                    }
                } else if (polls > job.script.runningPolls) {
                    job.status = job.script.finalStatus;
                }
            }
        }
        String status = job.status;
        boolean results = status.equals("completed") || status.equals("completedWithError") && job.script.resultsOnError;
        r.stream(200, "application/json", out -> {
            write(out, "{\"result\":{");
            if (results) {
                writeResults(out, job.script, true);
                out.write(COMMA);
            }
            if (status.equals("completedWithError") && job.script.message != null) {
                write(out, "\"message\":" + Json.write(job.script.message) + ",");
            }
            write(out, "\"status\":" + Json.write(status) + "},\"status\":\"success\"}");
        });
    }

    private void stop(SimRequest r, SimJob job) throws IOException {
        String answer;
        synchronized (job) {
            answer = job.isTerminal() ? "already completed" : job.stopRequested ? "already being stopped" : "stop started";
            job.stopRequested = true;
        }
        r.json(200, Json.write(Map.of("status", "success", "result", Map.of("status", answer))));
    }

    // ---- result sets, generated as they are written -------------------------------------------------------------------

    /** "results":[{"result":{"schema":[...],"records":[...]},"name":"..."}] — name last, as in the documented sample. */
    private static void writeResults(OutputStream out, JobScript script, boolean schema) throws IOException {
        write(out, "\"results\":[");
        for (int s = 0; s < script.results.size(); s++) {
            JobScript.ResultSpec spec = script.results.get(s);
            if (s > 0) {
                out.write(COMMA);
            }
            write(out, "{\"result\":{");
            if (schema) {
                write(out, "\"schema\":[" + column("id") + "," + column("company_name") + "," + column("country") + ","
                        + column("amount") + (spec.recordBytes() > 0 ? "," + column("notes") : "") + "],");
            }
            write(out, "\"records\":[");
            String pad = spec.recordBytes() > 90 ? "x".repeat(spec.recordBytes() - 90) : null;
            StringBuilder sb = new StringBuilder(256);
            for (long i = 0; i < spec.records(); i++) {
                sb.setLength(0);
                if (i > 0) {
                    sb.append(',');
                }
                sb.append("{\"id\":\"").append(i + 1).append("\",\"company_name\":\"").append(spec.name()).append(" company ")
                        .append(i + 1).append("\",\"country\":\"").append(COUNTRIES[(int) (i % COUNTRIES.length)])
                        .append("\",\"amount\":\"").append((i * 7919) % 100_000).append('.').append(i % 100).append('"');
                if (pad != null) {
                    sb.append(",\"notes\":\"").append(pad).append('"');
                }
                sb.append('}');
                write(out, sb.toString());
            }
            write(out, "]},\"name\":" + Json.write(spec.name()) + "}");
        }
        write(out, "]");
    }

    private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "JP", "BR", "IN"};

    private static String column(String name) {
        return "{\"updateable\":false,\"typeStandard\":{\"typeStr\":\"text\",\"name\":\"text\"},\"name\":\"" + name
                + "\",\"type\":{\"typeStr\":\"nvarchar(max)\",\"precision\":-1,\"name\":\"nvarchar\",\"scale\":0}}";
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
