package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jobpilot.sandbox.iics.IicsAnswers.error;
import static io.jobpilot.sandbox.iics.IicsSimulator.USER;

/**
 * Taskflows run as an API on the pod root (shared/reference/vendor-apis-more.md a), paths after
 * {@code <pod root>/active-bpel/}: {@code POST rt/<API name>} answers {@code {"RunId": "<digits>"}}; {@code GET
 * services/tf/status/<RunId>} one run (moved one phase along per read), {@code GET services/tf/status?startTime=&rowLimit=}
 * a list; {@code PUT services/tf/terminate {"runid": [...]}}; {@code PUT management/runtime/v1/resumeWithFaultRetry/<RunId>}
 * (or {@code resumeWithFaultSkip}) 204. The session goes as {@code INFA-SESSION-ID} (or {@code IDS-SESSION-ID}).
 * Where real IICS's answer is UNCONFIRMED (a wrong API name, the terminate answer) the v3 error shape and a short JSON
 * message stand in.
 */
final class IicsTaskflows {
    static final String SUSPENDED = "SUSPENDED";
    private static final Pattern START = Pattern.compile("rt/([^/]+)");
    private static final Pattern STATUS = Pattern.compile("services/tf/status/([^/]+)");
    private static final Pattern RESUME = Pattern.compile("management/runtime/v1/resumeWithFault(?:Retry|Skip)/([^/]+)");
    private static final int MAX_ROWS = 50;

    private final IicsSessions sessions;
    private final Map<String, TaskflowScript> taskflows = new ConcurrentHashMap<>();
    private final List<TaskflowRun> runs = new CopyOnWriteArrayList<>();
    /** Taskflow RunIds are large numbers, unlike v2 task runIds. */
    private final AtomicLong nextRunId = new AtomicLong(1256355937542115328L);

    IicsTaskflows(IicsSessions sessions) {
        this.sessions = sessions;
    }

    void taskflow(TaskflowScript script) {
        taskflows.put(script.apiName, script);
    }

    long runsOf(String apiName) {
        return runs.stream().filter(r -> r.script.apiName.equals(apiName)).count();
    }

    /** The input fields each run of the taskflow was started with, oldest first. */
    List<JsonNode> inputsOf(String apiName) {
        return runs.stream().filter(r -> r.script.apiName.equals(apiName)).map(r -> r.inputs).toList();
    }

    /** Resumes every suspended run of the taskflow, as a user does in IICS Monitor; returns how many. */
    int resume(String apiName) {
        return (int) runs.stream().filter(r -> r.script.apiName.equals(apiName)).filter(TaskflowRun::resume).count();
    }

    /** @param api the path after active-bpel/ */
    void handle(SimRequest r, String api) throws IOException {
        if (!sessions.valid(r.header("INFA-SESSION-ID")) && !sessions.valid(r.header("IDS-SESSION-ID"))) {
            IicsAnswers.invalidSession(r, false);
            return;
        }
        Matcher m;
        if ((m = START.matcher(api)).matches() && r.method().equals("POST")) {
            start(r, SimRequest.decodePath(m.group(1)));
        } else if ((m = STATUS.matcher(api)).matches() && r.method().equals("GET")) {
            status(r, m.group(1));
        } else if (api.equals("services/tf/status") && r.method().equals("GET")) {
            list(r);
        } else if (api.equals("services/tf/terminate") && r.method().equals("PUT")) {
            terminate(r);
        } else if ((m = RESUME.matcher(api)).matches() && r.method().equals("PUT")) {
            resume(r, m.group(1));
        } else {
            error(r, false, 404, "NOT_FOUND", "No such resource: " + r.method() + " active-bpel/" + api);
        }
    }

    private void start(SimRequest r, String apiName) throws IOException {
        TaskflowScript script = taskflows.get(apiName);
        if (script == null) {
            error(r, false, 404, "TF_404", "No published taskflow with the API name " + apiName + " is available to user " + USER + ".");
            return;
        }
        JsonNode inputs = r.body() == null || r.body().isBlank() ? Json.MAPPER.createObjectNode() : IicsAnswers.parse(r.body());
        if (inputs == null) {
            error(r, false, 400, "TF_400", "The request body is not a JSON object.");
            return;
        }
        TaskflowRun run = new TaskflowRun(script, String.valueOf(nextRunId.incrementAndGet()), inputs);
        runs.add(run);
        r.json(200, Json.write(Map.of("RunId", run.runId)));
    }

    private void status(SimRequest r, String runId) throws IOException {
        TaskflowRun run = find(runId);
        if (run == null) {
            error(r, false, 404, "TF_404", "No taskflow run with id " + runId + ".");
            return;
        }
        ObjectNode answer;
        synchronized (run) {
            answer = describe(run);
            run.reads++;
        }
        r.json(200, Json.write(answer));
    }

    /** The query form: runs begun since startTime (default: the last 24 hours), newest first, rowLimit at most 50. */
    private void list(SimRequest r) throws IOException {
        Instant since;
        try {
            since = r.query("startTime") == null ? Instant.now().minus(24, ChronoUnit.HOURS) : Instant.parse(r.query("startTime"));
        } catch (DateTimeParseException e) {
            error(r, false, 400, "TF_400", "Invalid startTime " + r.query("startTime") + ".");
            return;
        }
        int limit = Math.min(MAX_ROWS, r.query("rowLimit") == null ? 10 : Integer.parseInt(r.query("rowLimit")));
        int offset = r.query("offset") == null ? 0 : Integer.parseInt(r.query("offset"));
        List<TaskflowRun> newestFirst = new ArrayList<>(runs);
        Collections.reverse(newestFirst);
        ArrayNode list = Json.MAPPER.createArrayNode();
        newestFirst.stream().filter(run -> !run.started.truncatedTo(ChronoUnit.SECONDS).isBefore(since)).skip(offset).limit(limit)
                .forEach(run -> {
                    synchronized (run) {
                        list.add(describe(run));
                    }
                });
        r.json(200, Json.write(list));
    }

    private void terminate(SimRequest r) throws IOException {
        JsonNode body = IicsAnswers.parse(r.body());
        if (body == null || !body.path("runid").isArray() || body.path("runid").isEmpty()) {
            error(r, false, 400, "TF_400", "The body must be {\"runid\": [\"<run id>\", ...]}.");
            return;
        }
        List<TaskflowRun> found = new ArrayList<>();
        for (JsonNode id : body.get("runid")) {
            TaskflowRun run = find(id.asText());
            if (run == null || !run.isActive()) {
                error(r, false, 400, "TF_400", "Taskflow run " + id.asText() + " is not running.");
                return;
            }
            found.add(run);
        }
        found.forEach(run -> {
            synchronized (run) {
                run.terminated = true;
                run.ended = Instant.now();
            }
        });
        r.json(200, Json.write(Map.of("message", "Terminate request accepted for " + found.size() + " taskflow run(s).")));
    }

    private void resume(SimRequest r, String runId) throws IOException {
        TaskflowRun run = find(runId);
        if (run == null || !run.resume()) {
            error(r, false, 400, "TF_400", "Taskflow run " + runId + " is not suspended.");
            return;
        }
        r.send(204, null, new byte[0], Map.of());
    }

    private TaskflowRun find(String runId) {
        return runs.stream().filter(run -> run.runId.equals(runId)).findFirst().orElse(null);
    }

    /** The status resource's fields for one run (the caller holds the run's lock). */
    private static ObjectNode describe(TaskflowRun run) {
        String status = run.status();
        ObjectNode o = Json.MAPPER.createObjectNode().put("assetName", run.script.assetName).put("assetType", "TASKFLOW")
                .put("location", "Default").put("runId", Long.parseLong(run.runId)).put("runtimeEnv", "01000025000000000002")
                .put("runtimeEnvName", "sandbox-agent").put("startedBy", USER).put("startTime", iso(run.started))
                .put("updateTime", iso(Instant.now()));
        if (status != null) {
            o.put("status", status);
        }
        o.put("endTime", run.ended == null || !isEnded(status) ? "" : iso(run.ended));
        o.put("duration", String.valueOf(Duration.between(run.started, run.ended == null ? Instant.now() : run.ended).toSeconds()));
        String message = run.terminated ? "The taskflow was terminated by user " + USER + " using the API."
                : SUSPENDED.equals(status) ? run.script.suspendMessage : "FAILED".equals(status) ? run.script.errorMessage : null;
        if (message != null) {
            o.put("errorMessage", message);
        }
        o.put("subtasks", run.script.subtasks.size());
        ArrayNode tasks = o.putObject("subtaskDetails").putObject("details").putArray("tasks");
        boolean done = "SUCCESS".equals(status);
        long id = 4000;
        for (TaskflowScript.Subtask t : run.script.subtasks) {
            tasks.addObject().put("assetName", t.name()).put("assetType", t.type()).put("runId", id++)
                    .put("status", done ? t.status() : "RUNNING").put("rowsProcessed", done ? t.rowsProcessed() : 0)
                    .put("erroredRows", done ? t.erroredRows() : 0).put("startTime", iso(run.started));
        }
        return o;
    }

    private static boolean isEnded(String status) {
        return status != null && !status.equals("RUNNING") && !status.equals(SUSPENDED);
    }

    private static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
