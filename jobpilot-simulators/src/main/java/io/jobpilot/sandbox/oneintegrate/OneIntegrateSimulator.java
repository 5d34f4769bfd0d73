package io.jobpilot.sandbox.oneintegrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;
import io.jobpilot.sandbox.VendorSimulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful 1Integrate Sessions REST API (shared/reference/vendor-apis.md §1): token in the Authorization response
 * header, sessions created by PUT (409 when the path exists), play/pause/stop, a status that progresses over polls,
 * tasks, summaries and deterministic report pages of any size.
 */
public final class OneIntegrateSimulator implements VendorSimulator {
    public static final String USER = "integrate";
    public static final String PASSWORD = "integrate1";
    /** Accepted as "Authorization: Bearer <key>" on every call, instead of a token. */
    public static final String API_KEY = "integrate-sandbox-api-key";
    private static final Pattern SESSION = Pattern.compile("sessions/(.+)");
    private static final Pattern RESULTS = Pattern.compile("results/(.+)/(status|task|report)");
    /** Resource roots a client browses (GET /sessions, /rules, ...): folders in {"contents": [...]}, a Recycle Bin in each. */
    private static final Set<String> BROWSE_ROOTS = Set.of("sessions", "rules", "datastores", "actions", "actionmaps");

    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<String, SimSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, SessionScript> scripts = new ConcurrentHashMap<>();
    private volatile Duration tokenLifetime = Duration.ofHours(2);
    private volatile boolean bearerInTokenHeader;
    private final java.util.concurrent.atomic.AtomicInteger unauthorized = new java.util.concurrent.atomic.AtomicInteger();

    private static final class SimSession {
        final String path;
        final JsonNode definition;
        final SessionScript script;
        volatile String status = "Not Started";
        volatile int pollsSincePlay;
        volatile boolean pausedOnce;
        volatile boolean discarded;
        volatile int plays;
        volatile boolean tokensExpired;

        SimSession(String path, JsonNode definition, SessionScript script) {
            this.path = path;
            this.definition = definition;
            this.script = script;
        }
    }

    @Override
    public String root() {
        return "/1Integrate/rest";
    }

    @Override
    public String vendor() {
        return "1Integrate";
    }

    @Override
    public String describe(String baseUrl) {
        return "1Integrate  " + baseUrl + "  user " + USER + " / " + PASSWORD + "  (sessions: " + String.join(", ", sessions.keySet()) + ")";
    }

    // ---- scripting (tests, demo) ------------------------------------------------------------------------------------

    /** How the session at this path behaves when it is created and played. */
    public OneIntegrateSimulator script(String path, SessionScript script) {
        scripts.put(path, script);
        return this;
    }

    /** A session that exists already (no PUT needed). */
    public OneIntegrateSimulator existingSession(String path, SessionScript script) {
        sessions.put(path, new SimSession(path, definitionFor(path, script), script));
        return this;
    }

    public OneIntegrateSimulator tokenLifetime(Duration d) {
        tokenLifetime = d;
        return this;
    }

    /** Answer POST /token with "Authorization: Bearer x" instead of the bare token. */
    public OneIntegrateSimulator bearerInTokenHeader(boolean b) {
        bearerInTokenHeader = b;
        return this;
    }

    /** Every issued token stops working (as after a server restart or expiry). */
    public void expireTokens() {
        tokens.clear();
    }

    public int plays(String path) {
        SimSession s = sessions.get(path);
        return s == null ? 0 : s.plays;
    }

    public String status(String path) {
        SimSession s = sessions.get(path);
        return s == null ? null : s.status;
    }

    // ---- the API ----------------------------------------------------------------------------------------------------

    @Override
    public void handle(SimRequest r) throws IOException {
        if (r.path().equals("token") && r.method().equals("POST")) {
            token(r);
            return;
        }
        expireTokensIfScripted(r);
        if (!authorized(r.header("Authorization"))) {
            unauthorized.incrementAndGet();
            r.json(401, "{\"message\":\"Unauthorized: missing, invalid or expired token\"}");
            return;
        }
        if (r.method().equals("GET") && BROWSE_ROOTS.contains(r.path())) {
            r.json(200, folder(r.path().equals("sessions") ? "" : null));
            return;
        }
        Matcher m = SESSION.matcher(r.path());
        if (m.matches()) {
            session(r, SimRequest.decodePath(m.group(1)));
            return;
        }
        m = RESULTS.matcher(r.path());
        if (m.matches() && r.method().equals("GET")) {
            SimSession s = sessions.get(SimRequest.decodePath(m.group(1)));
            if (s == null) {
                r.json(404, "{\"message\":\"No session at " + SimRequest.decodePath(m.group(1)) + "\"}");
                return;
            }
            switch (m.group(2)) {
                case "status" -> status(r, s);
                case "task" -> summary(r, s);
                default -> reports(r, s);
            }
            return;
        }
        r.json(404, "{\"message\":\"No such resource: " + r.path() + "\"}");
    }

    private void token(SimRequest r) throws IOException {
        JsonNode creds;
        try {
            creds = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            r.json(400, "{\"message\":\"Malformed JSON\"}");
            return;
        }
        if (creds == null || !USER.equals(creds.path("username").asText()) || !PASSWORD.equals(creds.path("password").asText())) {
            r.json(401, "{\"message\":\"Bad credentials\"}");
            return;
        }
        Instant exp = Instant.now().plus(tokenLifetime);
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"iss\":\"1Spatial\",\"sub\":\"" + USER
                + "\",\"roles\":[\"1int-user\"],\"iat\":" + Instant.now().getEpochSecond() + ",\"exp\":" + exp.getEpochSecond()
                + "}").getBytes(StandardCharsets.UTF_8));
        String token = header + "." + claims + "." + UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, exp);
        r.send(200, null, new byte[0], Map.of("Authorization", bearerInTokenHeader ? "Bearer " + token : token));
    }

    private void expireTokensIfScripted(SimRequest r) {
        Matcher m = RESULTS.matcher(r.path());
        if (m.matches() && m.group(2).equals("status")) {
            SimSession s = sessions.get(SimRequest.decodePath(m.group(1)));
            if (s != null && s.script.expireTokensAtPoll >= 0 && s.pollsSincePlay + 1 == s.script.expireTokensAtPoll && !s.tokensExpired) {
                s.tokensExpired = true;
                tokens.clear();
            }
        }
    }

    /** How many requests were refused with 401. */
    public int unauthorizedAnswers() {
        return unauthorized.get();
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        if (header.substring(7).equals(API_KEY)) {
            return true;
        }
        Instant exp = tokens.get(header.substring(7));
        return exp != null && Instant.now().isBefore(exp);
    }

    private void session(SimRequest r, String path) throws IOException {
        SimSession s = sessions.get(path);
        switch (r.method()) {
            case "PUT" -> {
                if (s != null) {
                    r.json(409, "{\"message\":\"The path " + path + " is already in use\"}");
                    return;
                }
                JsonNode def;
                try {
                    def = Json.MAPPER.readTree(r.body());
                } catch (IOException e) {
                    r.json(400, "{\"message\":\"Malformed session JSON\"}");
                    return;
                }
                SessionScript script = scripts.getOrDefault(path, scriptFrom(def));
                sessions.put(path, new SimSession(path, withTasks(def, script), script));
                r.json(201, "{}");
            }
            case "DELETE" -> {
                if (sessions.remove(path) == null) {
                    r.json(404, "{\"message\":\"No session at " + path + "\"}");
                } else {
                    r.send(204, null, new byte[0], Map.of());
                }
            }
            case "POST" -> {
                if (s == null) {
                    r.json(404, "{\"message\":\"No session at " + path + "\"}");
                    return;
                }
                String action = r.query("action");
                if (action == null) {
                    r.json(400, "{\"message\":\"action is required\"}");
                    return;
                }
                switch (action) {
                    case "play" -> {
                        s.plays++;
                        s.discarded = false;
                        if (!s.status.equals("Paused")) {
                            s.pollsSincePlay = 0;
                        }
                        s.status = s.script.runningStatus;
                    }
                    case "pause" -> s.status = "Paused";
                    case "stop" -> {
                        s.status = "Not Started";
                        s.discarded = true;
                    }
                    case "rewind" -> s.status = "Paused";
                    default -> {
                        r.json(400, "{\"message\":\"Unknown action " + action + "\"}");
                        return;
                    }
                }
                r.json(200, "{}");
            }
            case "GET" -> {
                if (s == null && isFolder(path)) {
                    r.json(200, folder(path));
                } else if (s == null) {
                    r.json(404, "{\"message\":\"No session at " + path + "\"}");
                } else {
                    r.json(200, Json.write(s.definition));
                }
            }
            default -> r.json(405, "{\"message\":\"Method not allowed\"}");
        }
    }

    private boolean isFolder(String path) {
        return sessions.keySet().stream().anyMatch(p -> p.startsWith(path + "/"));
    }

    /**
     * A folder's listing: the folders and sessions right under {@code path} ("" for the root of sessions; null for
     * another resource root, which holds nothing here), and the Recycle Bin every root has.
     */
    private String folder(String path) {
        Map<String, String> contents = new TreeMap<>();
        if (path != null) {
            String prefix = path.isEmpty() ? "" : path + "/";
            for (String p : sessions.keySet()) {
                if (p.startsWith(prefix)) {
                    String rest = p.substring(prefix.length());
                    int slash = rest.indexOf('/');
                    contents.putIfAbsent(slash < 0 ? rest : rest.substring(0, slash), slash < 0 ? "session" : "folder");
                }
            }
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        if (path == null || path.isEmpty()) {
            list.addObject().put("type", "folder").put("name", "Recycle Bin");
        }
        contents.forEach((name, type) -> list.addObject().put("type", type).put("name", name));
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.set("contents", list);
        return Json.write(answer);
    }

    private void status(SimRequest r, SimSession s) throws IOException {
        synchronized (s) {
            if (s.status.equals(s.script.runningStatus)) {
                s.pollsSincePlay++;
                if (s.script.pauseAfterPolls >= 0 && !s.pausedOnce && s.pollsSincePlay > s.script.pauseAfterPolls) {
                    s.pausedOnce = true;
                    s.status = "Paused";
                } else if (s.pollsSincePlay > s.script.runningPolls) {
                    s.status = s.script.finalStatus;
                }
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("status", s.status);
        if (s.status.equals(s.script.finalStatus) && s.script.failureMessage != null) {
            body.put("message", s.script.failureMessage);
        }
        r.json(200, Json.write(body));
    }

    private SessionScript.Task task(SimSession s, String id) {
        return s.script.tasks.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
    }

    private void summary(SimRequest r, SimSession s) throws IOException {
        SessionScript.Task t = task(s, r.query("taskIdentifier"));
        if (t == null) {
            r.json(404, "{\"message\":\"No task " + r.query("taskIdentifier") + "\"}");
            return;
        }
        long count = s.discarded ? 0 : t.reportCount();
        long claimed = s.script.claimedReportCount != null ? s.script.claimedReportCount : count;
        r.json(200, "{\"taskIdentifier\":\"" + t.id() + "\",\"objectsProcessed\":" + t.objectsProcessed() + ",\"errors\":"
                + t.errors() + ",\"reportCount\":" + claimed + "}");
    }

    private void reports(SimRequest r, SimSession s) throws IOException {
        SessionScript.Task t = task(s, r.query("taskIdentifier"));
        if (t == null) {
            r.json(404, "{\"message\":\"No task " + r.query("taskIdentifier") + "\"}");
            return;
        }
        long start;
        long count;
        try {
            start = Long.parseLong(r.query("start"));
            count = Long.parseLong(r.query("count"));
        } catch (NumberFormatException e) {
            r.json(400, "{\"message\":\"start and count are required numbers\"}");
            return;
        }
        long total = s.discarded ? 0 : t.reportCount();
        long end = Math.min(total, start + count);
        ReportPage out = new ReportPage((int) Math.max(64, (end - start) * 200));
        out.ascii(s.script.wrapReports ? "{\"start\":" + start + ",\"reports\":[" : "[");
        byte[] taskId = t.id().getBytes(StandardCharsets.UTF_8);
        for (long i = start; i < end; i++) {
            long feature = (i * 7919) % 1_000_000;
            out.ascii(i > start ? ",{\"reportIndex\":" : "{\"reportIndex\":").number(i).ascii(",\"taskIdentifier\":\"").raw(taskId)
                    .ascii("\",\"ruleId\":\"R-").number(i % 17).ascii("\",\"featureId\":\"F").number(feature)
                    .ascii(i % 5 == 0 ? "\",\"severity\":\"ERROR" : "\",\"severity\":\"WARNING")
                    .ascii("\",\"message\":\"Feature F").number(feature).ascii(" does not conform to rule R-").number(i % 17)
                    .ascii("\"}");
        }
        out.ascii(s.script.wrapReports ? "]}" : "]");
        r.send(200, "application/json", out.toByteArray(), Map.of());
    }

    /**
     * A report page built byte by byte: at 1,000 reports a page, a benchmark asks for a thousand pages a second, and the
     * stand-in must not be what it measures.
     */
    private static final class ReportPage extends ByteArrayOutputStream {
        ReportPage(int size) {
            super(size);
        }

        ReportPage ascii(String text) {
            ensure(text.length());
            for (int k = 0; k < text.length(); k++) {
                buf[count++] = (byte) text.charAt(k);
            }
            return this;
        }

        ReportPage raw(byte[] bytes) {
            writeBytes(bytes);
            return this;
        }

        /** A non-negative number's digits, written from the last one back. */
        ReportPage number(long n) {
            int digits = 1;
            for (long rest = n / 10; rest > 0; rest /= 10) {
                digits++;
            }
            ensure(digits);
            for (int i = count + digits - 1; i >= count; i--) {
                buf[i] = (byte) ('0' + n % 10);
                n /= 10;
            }
            count += digits;
            return this;
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }

    // ---- session definitions ---------------------------------------------------------------------------------------

    /** A PUT body may carry {"sandbox": {"runningPolls": 2, "tasks": [{"taskIdentifier": "t1", "reportCount": 5}]}}. */
    private static SessionScript scriptFrom(JsonNode def) {
        SessionScript script = SessionScript.create();
        JsonNode sandbox = def.path("sandbox");
        if (sandbox.has("runningPolls")) {
            script.runningPolls(sandbox.get("runningPolls").asInt());
        }
        if (sandbox.has("finalStatus")) {
            script.endsWith(sandbox.get("finalStatus").asText(), sandbox.path("message").asText(null));
        }
        JsonNode tasks = def.path("tasks");
        for (JsonNode t : tasks) {
            String id = t.path("taskIdentifier").asText(null);
            if (id != null) {
                script.task(id, t.path("sandboxReportCount").asLong(25), t.path("sandboxErrors").asLong(0));
            }
        }
        if (script.tasks.isEmpty()) {
            script.task("task-1", 25).task("task-2", 0);
        }
        return script;
    }

    private static JsonNode withTasks(JsonNode def, SessionScript script) {
        ObjectNode copy = def.isObject() ? ((ObjectNode) def).deepCopy() : Json.MAPPER.createObjectNode();
        copy.remove("sandbox");
        ArrayNode tasks = copy.putArray("tasks");
        int i = 0;
        for (SessionScript.Task t : script.tasks) {
            tasks.addObject().put(script.misspellTaskIdentifier ? "taskIndentifier" : "taskIdentifier", t.id())
                    .put("index", i++).put("type", "CheckRules").put("name", "Check " + t.id());
        }
        return copy;
    }

    private static JsonNode definitionFor(String path, SessionScript script) {
        ObjectNode def = Json.MAPPER.createObjectNode().put("name", path.substring(path.lastIndexOf('/') + 1));
        return withTasks(def, script);
    }
}
