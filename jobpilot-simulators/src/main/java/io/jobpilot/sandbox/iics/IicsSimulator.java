package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;
import io.jobpilot.sandbox.VendorSimulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A stateful Informatica IICS (shared/reference/vendor-apis.md §2-3) under {@code /iics}: v3 and v2 login on the
 * login host, the organisation's POD under {@code /iics/pod/saas} (the baseApiUrl/serverUrl it answers with),
 * sessions that expire after idle time, export jobs (status, objects, log, a real zip package), v2 jobs with
 * per-task runIds, the activity monitor (with other tasks' runs) and activity log, stop, callbacks to a job's
 * callbackURL, and error bodies of both API versions.
 */
public final class IicsSimulator implements VendorSimulator {
    public static final String USER = "jobpilot";
    public static final String PASSWORD = "iics-sandbox-1";
    public static final String ORG = "jobpilot-sandbox";
    static final List<String> TASK_TYPES = List.of("DMASK", "DRS", "DSS", "MTT", "PCS", "WORKFLOW");
    private static final String POD = "pod/saas/";
    private static final Pattern EXPORT = Pattern.compile(POD + "public/core/v3/export/([^/]+)(/log|/package)?");
    private static final DateTimeFormatter EASTERN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneId.of("America/New_York"));

    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
    private final Map<String, ExportScript> exportScripts = new ConcurrentHashMap<>();
    private final Map<String, SimExport> exports = new ConcurrentHashMap<>();
    private final Map<String, TaskScript> tasks = new ConcurrentHashMap<>();
    private final List<SimRun> runs = new CopyOnWriteArrayList<>();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger callbacksSent = new AtomicInteger();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "iics-sim-clock");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient callbackClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Duration sessionIdleTimeout = Duration.ofMinutes(30);

    private static final class SimExport {
        final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        final String name;
        final List<String> objectIds;
        final ExportScript script;
        final Instant created = Instant.now();
        volatile int reads;
        volatile boolean sessionsExpired;

        SimExport(String name, List<String> objectIds, ExportScript script) {
            this.name = name;
            this.objectIds = objectIds;
            this.script = script;
        }

        synchronized String state() {
            return reads > script.runningPolls ? script.finalState : "IN_PROGRESS";
        }
    }

    private static final class SimRun {
        final TaskScript task;
        final long runId;
        final String callbackUrl;
        final Instant started = Instant.now();
        final String logId = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        int observations;
        int monitorReads;
        boolean stopped;
        Instant ended;
        /** Moves a run that has a callbackURL along by time (nobody polls it). */
        volatile ScheduledFuture<?> ticker;

        SimRun(TaskScript task, long runId, String callbackUrl) {
            this.task = task;
            this.runId = runId;
            this.callbackUrl = callbackUrl;
        }

        synchronized String phase() {
            if (stopped) {
                return "ENDED";
            }
            int o = observations;
            if (o < task.queuedPolls) {
                return "QUEUED";
            }
            if (task.runsForever || o < task.queuedPolls + task.runningPolls) {
                return "RUNNING";
            }
            return o < task.queuedPolls + task.runningPolls + task.gapPolls ? "GAP" : "ENDED";
        }
    }

    @Override
    public String root() {
        return "/iics";
    }

    @Override
    public String vendor() {
        return "IICS";
    }

    @Override
    public String describe(String baseUrl) {
        return "IICS        " + baseUrl + " (login host)  user " + USER + " / " + PASSWORD + "  (tasks: "
                + String.join(", ", tasks.keySet()) + ")";
    }

    // ---- scripting (tests, demo) ------------------------------------------------------------------------------------

    /** How the export job started with this name behaves. */
    public IicsSimulator scriptExport(String name, ExportScript script) {
        exportScripts.put(name, script);
        return this;
    }

    /** An export job started outside jobpilot; returns its id. */
    public String existingExport(ExportScript script, String... objectIds) {
        SimExport export = new SimExport("started-elsewhere", List.of(objectIds), script);
        exports.put(export.id, export);
        return export.id;
    }

    /** A task that jobs can start, by id, federated id or name. */
    public IicsSimulator task(TaskScript task) {
        tasks.put(task.taskId, task);
        return this;
    }

    /** Every session stops working (as after 30 minutes idle). */
    public void expireSessions() {
        sessions.clear();
    }

    public IicsSimulator sessionIdleTimeout(Duration d) {
        sessionIdleTimeout = d;
        return this;
    }

    public int logins() {
        return logins.get();
    }

    public int callbacksSent() {
        return callbacksSent.get();
    }

    /** How many runs of this task were started. */
    public long runsOf(String taskId) {
        return runs.stream().filter(r -> r.task.taskId.equals(taskId)).count();
    }

    // ---- the API ----------------------------------------------------------------------------------------------------

    @Override
    public void handle(SimRequest r) throws IOException {
        String path = r.path();
        if (path.equals("saas/public/core/v3/login") && r.method().equals("POST")) {
            login(r, false);
            return;
        }
        if (path.equals("ma/api/v2/user/login") && r.method().equals("POST")) {
            login(r, true);
            return;
        }
        boolean v2 = path.startsWith(POD + "api/v2/");
        if (!path.startsWith(POD)) {
            error(r, v2, 404, "NOT_FOUND", "No such resource: " + path);
            return;
        }
        if (!validSession(r.header(v2 ? "icSessionId" : "INFA-SESSION-ID"))) {
            error(r, v2, 401, "AUTH_01", "Invalid or expired session ID.");
            return;
        }
        String api = path.substring(POD.length());
        if (api.equals("public/core/v3/export") && r.method().equals("POST")) {
            startExport(r);
        } else if (EXPORT.matcher(path).matches() && r.method().equals("GET")) {
            export(r, EXPORT.matcher(path));
        } else if (api.equals("api/v2/job") && r.method().equals("POST")) {
            startJob(r);
        } else if (api.equals("api/v2/job/stop") && r.method().equals("POST")) {
            stopJob(r);
        } else if (api.equals("api/v2/activity/activityMonitor") && r.method().equals("GET")) {
            activityMonitor(r);
        } else if (api.equals("api/v2/activity/activityLog") && r.method().equals("GET")) {
            activityLog(r);
        } else {
            error(r, v2, 404, "NOT_FOUND", "No such resource: " + r.method() + " " + path);
        }
    }

    private void login(SimRequest r, boolean v2) throws IOException {
        JsonNode creds = parse(r.body());
        if (creds == null || !USER.equals(creds.path("username").asText()) || !PASSWORD.equals(creds.path("password").asText())) {
            if (v2) {
                error(r, true, 403, "UI_10000", "User name or password is not valid.");
            } else {
                error(r, false, 401, "IDS_085", "User name or password is not valid.");
            }
            return;
        }
        logins.incrementAndGet();
        String sessionId = UUID.randomUUID().toString().replace("-", "");
        sessions.put(sessionId, Instant.now());
        String base = "http://" + r.header("Host") + root() + "/" + POD.substring(0, POD.length() - 1);
        String userId = "0100000300000000000A";
        if (v2) {
            r.json(200, Json.write(Map.of("@type", "user", "id", userId, "orgId", "010000", "orgUuid", "4ZbAe2Y0ZxFkCkMJfQXxs2",
                    "name", USER, "icSessionId", sessionId, "serverUrl", base, "securityQuestion", "First pet?",
                    "emails", "jobpilot@example.com", "phone", "+1 555 0100")));
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("products").addObject().put("name", "Integration Cloud").put("baseApiUrl", base);
        body.putObject("userInfo").put("sessionId", sessionId).put("id", userId).put("name", USER).put("parentOrgId", "52ZSTB0IDK6dXxaEQLUaQu")
                .put("orgId", "010000").put("orgName", ORG).put("status", "Active").putObject("groups");
        r.json(200, Json.write(body));
    }

    private boolean validSession(String id) {
        if (id == null) {
            return false;
        }
        Instant last = sessions.get(id);
        if (last == null || Instant.now().isAfter(last.plus(sessionIdleTimeout))) {
            sessions.remove(id);
            return false;
        }
        sessions.put(id, Instant.now());
        return true;
    }

    // ---- export jobs (v3) -------------------------------------------------------------------------------------------

    private void startExport(SimRequest r) throws IOException {
        JsonNode body = parse(r.body());
        if (body == null || !body.path("objects").isArray() || body.path("objects").isEmpty()) {
            error(r, false, 400, "MigrationSvc_001", "The request must list the objects to export.");
            return;
        }
        List<String> ids = new ArrayList<>();
        body.path("objects").forEach(o -> ids.add(o.path("id").asText()));
        String name = body.path("name").asText("job-" + System.currentTimeMillis());
        SimExport export = new SimExport(name, ids, exportScripts.getOrDefault(name, ExportScript.create()));
        exports.put(export.id, export);
        r.json(200, Json.write(exportStatus(export, false)));
    }

    private void export(SimRequest r, Matcher m) throws IOException {
        m.matches();
        SimExport export = exports.get(m.group(1));
        if (export == null) {
            error(r, false, 404, "MigrationSvc_004", "Export job " + m.group(1) + " does not exist.");
            return;
        }
        String what = m.group(2) == null ? "" : m.group(2);
        switch (what) {
            case "/log" -> r.send(200, "text/plain", log(export).getBytes(StandardCharsets.UTF_8), Map.of());
            case "/package" -> {
                if (!export.state().equals("SUCCESSFUL")) {
                    error(r, false, 400, "MigrationSvc_032", "The export job " + export.id + " did not complete successfully.");
                } else {
                    r.send(200, "application/zip", zip(export), Map.of());
                }
            }
            default -> {
                boolean objects = "objects".equals(r.query("expand"));
                if (!objects) {
                    synchronized (export) {
                        export.reads++;
                        if (export.reads == export.script.expireSessionsAtPoll && !export.sessionsExpired) {
                            export.sessionsExpired = true;
                            sessions.clear();
                            error(r, false, 401, "AUTH_01", "Invalid or expired session ID.");
                            return;
                        }
                    }
                }
                r.json(200, Json.write(exportStatus(export, objects)));
            }
        }
    }

    private ObjectNode exportStatus(SimExport export, boolean withObjects) {
        String state = export.state();
        boolean done = !state.equals("IN_PROGRESS");
        ObjectNode body = Json.MAPPER.createObjectNode().put("id", export.id).put("createTime", export.created.toString())
                .put("updateTime", Instant.now().toString()).put("name", export.name).put("startTime", export.created.toString())
                .put("endTime", done ? Instant.now().toString() : null);
        body.putObject("status").put("state", state).put("message", done ? export.script.finalMessage : "In Progress");
        if (!withObjects) {
            body.putNull("objects");
            return body;
        }
        ArrayNode objects = body.putArray("objects");
        for (int i = 0; i < export.objectIds.size(); i++) {
            String id = export.objectIds.get(i);
            String failure = export.script.failingObjects.get(id);
            ObjectNode o = objects.addObject().put("id", id).put("name", "Object " + id).put("path", "/Explore/Sandbox")
                    .put("type", i % 2 == 0 ? "MTT" : "DTEMPLATE").putNull("description");
            o.putObject("status").put("state", !done ? "IN_PROGRESS" : failure == null ? "SUCCESSFUL" : "FAILED")
                    .put("message", failure);
        }
        return body;
    }

    private static String log(SimExport export) {
        StringBuilder log = new StringBuilder("OIE_002 INFO " + export.created + " Starting export operation. Execution Client: API Job Name: "
                + export.name + " Organization: " + ORG + " User: " + USER + "\n");
        for (String id : export.objectIds) {
            String failure = export.script.failingObjects.get(id);
            log.append(failure == null ? "OIE_004 INFO " + Instant.now() + " Successfully exported object [/Explore/Sandbox/Object " + id
                    + "] id [" + id + "]\n" : "OIE_005 ERROR " + Instant.now() + " Failed to export object id [" + id + "]: " + failure + "\n");
        }
        return log.append("OIE_003 INFO ").append(Instant.now()).append(" Finished export operation. Job Name: ").append(export.name)
                .append(" Status: ").append(export.state()).append('\n').toString();
    }

    /** A real zip: the metadata, one inner zip per object (as IICS packages hold), and optional padding. */
    private static byte[] zip(SimExport export) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("exportMetadata.v2.json"));
            zip.write(Json.write(Map.of("jobName", export.name, "objects", export.objectIds)).getBytes(StandardCharsets.UTF_8));
            for (String id : export.objectIds) {
                zip.putNextEntry(new ZipEntry("Explore/Sandbox/Object " + id + ".MTT.zip"));
                ByteArrayOutputStream inner = new ByteArrayOutputStream();
                try (ZipOutputStream in = new ZipOutputStream(inner)) {
                    in.putNextEntry(new ZipEntry("mtTask.json"));
                    in.write(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
                }
                zip.write(inner.toByteArray());
            }
            if (export.script.packagePaddingBytes > 0) {
                byte[] padding = new byte[export.script.packagePaddingBytes];
                new Random(42).nextBytes(padding);
                zip.putNextEntry(new ZipEntry("padding.bin"));
                zip.write(padding);
            }
        }
        return bytes.toByteArray();
    }

    // ---- jobs (v2) --------------------------------------------------------------------------------------------------

    private void startJob(SimRequest r) throws IOException {
        JsonNode body = parse(r.body());
        if (body == null) {
            error(r, true, 400, "APP_13400", "Malformed request body.");
            return;
        }
        TaskScript task = findTask(r, body);
        if (task == null) {
            return;
        }
        SimRun run;
        synchronized (task) {
            run = new SimRun(task, task.nextRunId++, body.path("callbackURL").asText(null));
        }
        runs.add(run);
        if (run.callbackUrl != null) {
            run.ticker = clock.scheduleAtFixedRate(() -> observe(run), 50, 50, TimeUnit.MILLISECONDS);
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("@type", "job").put("taskId", task.taskId)
                .put("taskFederatedId", task.federatedId).put("taskName", task.name).put("taskType", task.type)
                .put("runId", run.runId).put("runInParallel", false);
        if (run.callbackUrl != null) {
            answer.put("callbackURL", run.callbackUrl);
        }
        r.json(200, Json.write(answer));
    }

    /** The task named by exactly one of taskId, taskFederatedId, taskName, with a valid taskType; else a v2 403. */
    private TaskScript findTask(SimRequest r, JsonNode body) throws IOException {
        String type = body.path("taskType").asText("");
        if (!TASK_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
            error(r, true, 403, "APP_13401", "Wrong parameter value taskType");
            return null;
        }
        List<String> given = List.of("taskId", "taskFederatedId", "taskName").stream().filter(body::hasNonNull).toList();
        if (given.size() != 1) {
            error(r, true, 403, "APP_13401", "Wrong parameter value: exactly one of taskId, taskFederatedId, taskName is required");
            return null;
        }
        String value = body.get(given.get(0)).asText();
        TaskScript task = tasks.values().stream().filter(t -> switch (given.get(0)) {
            case "taskId" -> t.taskId.equals(value);
            case "taskFederatedId" -> t.federatedId.equals(value);
            default -> t.name.equals(value);
        }).findFirst().orElse(null);
        if (task == null || !task.type.equalsIgnoreCase(type)) {
            error(r, true, 403, "APP_13436", "No object named " + value + " of type " + type + " exists for organization " + ORG + ".");
            return null;
        }
        return task;
    }

    private void stopJob(SimRequest r) throws IOException {
        JsonNode body = parse(r.body());
        TaskScript task = body == null ? null : findTask(r, body);
        if (task == null) {
            if (body == null) {
                error(r, true, 400, "APP_13400", "Malformed request body.");
            }
            return;
        }
        List<SimRun> active = runs.stream().filter(x -> x.task == task && !x.phase().equals("ENDED")).toList();
        if (active.isEmpty()) {
            error(r, true, 403, "APP_13442", "The task " + task.name + " is not running.");
            return;
        }
        active.forEach(x -> {
            synchronized (x) {
                x.stopped = true;
            }
            ended(x);
        });
        r.json(200, "{\"@type\":\"success\",\"description\":\"The job was stopped by user " + USER + " using the API.\"}");
    }

    /** Every running run of the organisation, other tasks' runs (with the same runIds) included. */
    private void activityMonitor(SimRequest r) throws IOException {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (SimRun run : runs) {
            synchronized (run) {
                if (run.phase().equals("ENDED")) {
                    continue;
                }
                run.monitorReads++;
                if (run.monitorReads == run.task.expireSessionsAtPoll) {
                    sessions.clear();
                    run.task.expireSessionsAtPoll = -1;
                    error(r, true, 401, "AUTH_01", "Invalid or expired session ID.");
                    return;
                }
            }
            observe(run);
            if (run.phase().equals("QUEUED")) {         // newer pods list queued runs too
                list.add(monitorEntry(run.task.taskId, run.task.name, run.runId, run.started).put("executionState", "QUEUED"));
            } else if (run.phase().equals("RUNNING")) {
                list.add(monitorEntry(run.task.taskId, run.task.name, run.runId, run.started));
                list.add(monitorEntry("0100000Z00000000OTHR", "Someone else's task", run.runId, run.started));
            }
        }
        r.json(200, Json.write(list));
    }

    private static ObjectNode monitorEntry(String taskId, String name, long runId, Instant started) {
        return Json.MAPPER.createObjectNode().put("@type", "activityMonitoryEntry").put("id", taskId + "-" + runId).put("type", "MTT")
                .put("taskId", taskId).put("taskName", name).put("objectName", name).put("runId", runId)
                .put("startTime", started.toString()).putNull("endTime").put("executionState", "RUNNING")
                .put("failedSourceRows", 0).put("successSourceRows", 10).put("failedTargetRows", 0).put("successTargetRows", 10)
                .put("startedBy", USER).put("runContextType", "REST_API_V2");
    }

    /** Entries of ended runs; with runId, taskId is required (newer docs). */
    private void activityLog(SimRequest r) throws IOException {
        String runId = r.query("runId");
        String taskId = r.query("taskId");
        if (runId != null && taskId == null) {
            error(r, true, 403, "APP_13401", "Wrong parameter value: taskId is required with runId");
            return;
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (SimRun run : runs) {
            if (runId != null && (!run.task.taskId.equals(taskId) || run.runId != Long.parseLong(runId))) {
                continue;
            }
            if (runId != null) {
                observe(run);
            }
            if (run.phase().equals("ENDED")) {
                list.add(logEntry(run));
            }
        }
        r.json(200, Json.write(list));
    }

    private ObjectNode logEntry(SimRun run) {
        TaskScript t = run.task;
        int state = run.stopped ? 3 : t.state;
        Instant end = run.ended == null ? Instant.now() : run.ended;
        ObjectNode e = Json.MAPPER.createObjectNode().put("@type", "activityLogEntry").put("id", run.logId).put("type", t.type)
                .put("objectId", t.taskId).put("objectName", t.name).put("runId", run.runId).put("agentId", "01000008000000000002")
                .put("runtimeEnvironmentId", "01000025000000000002")
                .put("startTime", EASTERN.format(run.started)).put("endTime", EASTERN.format(end))
                .put("startTimeUtc", run.started.toString()).put("endTimeUtc", end.toString())
                .put("state", state).put("failedSourceRows", 0).put("successSourceRows", t.successTargetRows)
                .put("failedTargetRows", run.stopped ? 0 : t.failedTargetRows).put("successTargetRows", t.successTargetRows)
                .put("errorMsg", run.stopped ? "The job was stopped by user " + USER + " using the API." : t.errorMsg)
                .put("startedBy", USER).put("runContextType", "REST_API_V2").putNull("scheduleName").put("isStopped", run.stopped);
        e.putArray("entries");
        e.putArray("transformationEntries");
        return e;
    }

    /** A run moves one step each time it is observed; the moment it ends, callbacks go out. */
    private void observe(SimRun run) {
        boolean endedNow;
        synchronized (run) {
            if (run.phase().equals("ENDED")) {
                return;
            }
            run.observations++;
            endedNow = run.phase().equals("ENDED");
        }
        if (endedNow) {
            ended(run);
        }
    }

    private void ended(SimRun run) {
        synchronized (run) {
            if (run.ended != null) {
                return;
            }
            run.ended = Instant.now();
        }
        if (run.ticker != null) {
            run.ticker.cancel(false);
        }
        if (run.callbackUrl == null) {
            return;
        }
        String body = Json.write(Map.of("@type", "callbackUrlResponse", "endTime", run.ended.toString(), "objectId", run.task.taskId,
                "objectName", run.task.name, "runId", run.runId, "status", run.stopped || run.task.state == 3 ? "FAILED" : "COMPLETED"));
        for (int i = 0; i < run.task.callbackTimes; i++) {
            callbackClient.sendAsync(HttpRequest.newBuilder(URI.create(run.callbackUrl)).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).thenRun(callbacksSent::incrementAndGet);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------------

    /** v2: {"code","description","statusCode","@type":"error"}; v3: {"error":{"code","message","requestId","details"}}. */
    private static void error(SimRequest r, boolean v2, int status, String code, String message) throws IOException {
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        if (v2) {
            r.json(status, Json.write(Map.of("@type", "error", "code", code, "description", message, "statusCode", status)));
        } else {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putObject("error").put("code", code).put("message", message).put("requestId", requestId).putNull("details");
            r.json(status, Json.write(body));
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
}
