package io.jobpilot.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.config.Durations;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.run.JsonDocuments;
import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.run.RunStates;
import io.jobpilot.run.Runs;
import io.jobpilot.run.RunOwnedElsewhere;
import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowSpec;
import org.apache.camel.Exchange;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jobpilot.http.JsonReplies.error;
import static io.jobpilot.http.JsonReplies.reply;

/**
 * The HTTP API of the long-lived runtime: start, list, show and stop runs. Validation is the command line's (same
 * messages, as 400s); a POST with a runId that exists answers with that run instead of starting another.
 */
public final class RunApi {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final Runs runs;
    private final Ledger ledger;
    private final Launcher launcher;
    private final Leases leases;
    private final String apiToken;
    private final ApiDocuments documents;

    public RunApi(Runs runs, Ledger ledger, Launcher launcher, Leases leases, String apiToken, ApiDocuments documents) {
        this.documents = documents;
        this.runs = runs;
        this.ledger = ledger;
        this.launcher = launcher;
        this.leases = leases;
        this.apiToken = apiToken;
    }

    /**
     * First step of every /api route: with jobpilot.server.api-token set, requests must carry it as a Bearer token.
     * Sets property {@code apiAuthorized}; when false the 401 answer is already in place. (A step, not a filter
     * predicate: a predicate works on a copy of the message, so its answer would be lost.)
     */
    public void authorize(Exchange exchange) {
        exchange.setProperty("apiAuthorized", sameSite(exchange) && checkToken(exchange));
    }

    /**
     * A browser names the page a request comes from in {@code Origin}: a POST from a page of another site (which
     * could stop a run while no API token is set) is refused. Requests without Origin (curl, clients, IICS) and this
     * server's own web page pass.
     */
    private static boolean sameSite(Exchange exchange) {
        String origin = exchange.getMessage().getHeader("Origin", String.class);
        if (origin == null || "GET".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))) {
            return true;
        }
        // the address the request was sent to, as the browser wrote it (Camel keeps no Host header)
        String url = exchange.getMessage().getHeader(Exchange.HTTP_URL, String.class);
        if (url != null && java.net.URI.create(url).resolve("/").toString().equalsIgnoreCase(origin + "/")) {
            return true;
        }
        reply(exchange, 403, error("a request from another site's page (Origin " + origin + ") is refused; "
                + "use the API from a client, or this server's own page"));
        return false;
    }

    private boolean checkToken(Exchange exchange) {
        if (apiToken == null) {
            return true;
        }
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        boolean ok = MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), apiToken.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            reply(exchange, 401, error("missing or wrong API token (send Authorization: Bearer <jobpilot.server.api-token>)"));
        }
        return ok;
    }

    /** POST /api/runs {workflow, params, runId?, timeout?, onTimeout?, notifyUrl?} → 202 with the run. */
    public void start(Exchange exchange) {
        if (!noQuery(exchange, "POST /api/runs")) {
            return;
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            reply(exchange, 415, error("POST /api/runs takes a JSON body: send Content-Type: application/json (not "
                    + contentType + ")"));
            return;
        }
        JsonNode body;
        try {
            String text = exchange.getMessage().getBody(String.class);
            body = Json.MAPPER.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            reply(exchange, 400, error("the body must be a JSON object: it is " + JsonDocuments.invalid(e)));
            return;
        }
        if (body == null || !body.isObject()) {
            reply(exchange, 400, error("the body must be a JSON object like {\"workflow\": \"...\", \"params\": {...}}"));
            return;
        }
        try {
            RunRequest request = request(body);
            if (request.runId() != null) {
                var existing = ledger.find(request.runId());
                if (existing.isPresent()) {
                    reply(exchange, 200, Json.write(view(existing.get())));
                    return;
                }
            }
            Run run = open(request, body.path("params"));
            launcher.launch(run.runId(), run);
            reply(exchange, 202, Json.write(Map.of("runId", run.runId(), "workflow", run.workflow(), "state", run.state(),
                    "href", "/api/runs/" + run.runId())));
        } catch (RunOwnedElsewhere e) {           // the same run id, inserted a moment ago by another request or process
            reply(exchange, 409, error(e.getMessage()));
        } catch (UsageException e) {
            reply(exchange, 400, error(e.getMessage()));
        }
    }

    /**
     * A new run: its documents written inline to its directory (or found in the files directory), then validated and
     * recorded like the command line's. A request that recorded no run leaves no documents behind.
     */
    private Run open(RunRequest request, JsonNode params) {
        WorkflowSpec spec = runs.workflows().require(request.workflow());
        String runId = request.runId() != null ? request.runId() : Runs.newRunId(spec.name());
        Runs.validateRunId(runId);
        Path inputs = runs.runDir(runId).resolve(ApiDocuments.INPUTS);
        try {
            Map<String, String> resolved = new LinkedHashMap<>(request.params());
            resolved.putAll(documents.resolve(spec, params, inputs));
            return runs.open(request.withRunId(runId).withParams(resolved), leases.api());
        } catch (RuntimeException e) {
            if (ledger.find(runId).isEmpty()) {     // kept once a run with this id is recorded (a concurrent request's): it reads them
                documents.discard(inputs);
            }
            throw e;
        }
    }

    static RunRequest request(JsonNode body) {
        String workflow = text(body, "workflow");
        if (workflow == null) {
            throw new UsageException("'workflow' is required");
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode p = body.path("params");
        if (!p.isMissingNode() && !p.isNull()) {
            if (!p.isObject()) {
                throw new UsageException("'params' must be an object of name: value");
            }
            for (Map.Entry<String, JsonNode> e : p.properties()) {
                params.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        Duration timeout = null;
        String t = text(body, "timeout");
        if (t != null) {
            try {
                timeout = Durations.parse(t);
            } catch (IllegalArgumentException e) {
                throw new UsageException("'timeout': " + e.getMessage());
            }
        }
        String onTimeout = text(body, "onTimeout");
        return new RunRequest(workflow, params, text(body, "runId"), null, timeout,
                onTimeout == null ? OnTimeout.FAIL : OnTimeout.parse(onTimeout), false, text(body, "notifyUrl"));
    }

    /** GET /api/runs?state=&workflow=&limit= → the newest runs first; 400 for a parameter it does not take. */
    public void list(Exchange exchange) {
        try {
            Map<String, String> query = ApiQuery.parse(exchange, "GET /api/runs", Set.of("state", "workflow", "limit"));
            String state = query.containsKey("state") ? RunStates.require(query.get("state")) : null;
            String workflow = query.containsKey("workflow") ? runs.workflows().require(query.get("workflow")).name() : null;
            List<RunResult> found = ledger.list(state, workflow, limit(query.get("limit"))).stream().map(LedgerRun::result).toList();
            reply(exchange, 200, Json.write(found));
        } catch (UsageException e) {
            reply(exchange, 400, error(e.getMessage()));
        }
    }

    private static int limit(String given) {
        if (given == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(given.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, as for a number out of range
        }
        throw new UsageException("'limit' must be a whole number from 1 to " + MAX_LIMIT + ", not '" + given + "'");
    }

    /** GET /api/runs/{runId} → the run as recorded, with its history and whether this node follows it. */
    public void show(Exchange exchange) {
        if (!noQuery(exchange, "GET /api/runs/{runId}")) {
            return;
        }
        String runId = exchange.getMessage().getHeader("runId", String.class);
        var run = ledger.find(runId);
        if (run.isEmpty()) {
            reply(exchange, 404, error("no run '" + runId + "'"));
            return;
        }
        reply(exchange, 200, Json.write(view(run.get())));
    }

    /**
     * POST /api/runs/{runId}/stop → stops the run's remote job (its workflow says how): at the next poll of a run this
     * node follows or is starting, or from here, as {@code jobpilot stop} does, for a run another node follows.
     */
    public void stop(Exchange exchange) {
        if (!noQuery(exchange, "POST /api/runs/{runId}/stop")) {
            return;
        }
        String runId = exchange.getMessage().getHeader("runId", String.class);
        var stored = ledger.find(runId);
        if (stored.isEmpty()) {
            reply(exchange, 404, error("no run '" + runId + "'"));
            return;
        }
        if (stored.get().result().outcome() != null) {
            reply(exchange, 409, error("run '" + runId + "' already ended " + stored.get().result().outcome()));
            return;
        }
        String reason = "stopped through the API";
        String notStoppable = Runs.whyNotStoppable(exchange.getContext(), stored.get());
        var run = launcher.followed(runId);
        if (run.isPresent()) {
            run.get().requestStop(reason);
        } else if (launcher.isBusy(runId)) {
            launcher.stopOnceFollowed(runId, reason);
        } else if (notStoppable != null) {
            reply(exchange, 409, error(notStoppable));
            return;
        } else {
            launcher.stopFollowedElsewhere(runId);
        }
        reply(exchange, 202, Json.write(Map.of("runId", runId, "stopping", true)));
    }

    /** For the endpoints that take no query parameters: false with a 400 in place when some were given. */
    private static boolean noQuery(Exchange exchange, String endpoint) {
        try {
            ApiQuery.parse(exchange, endpoint, Set.of());
            return true;
        } catch (UsageException e) {
            reply(exchange, 400, error(e.getMessage()));
            return false;
        }
    }

    private static Map<String, Object> view(LedgerRun run) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("run", run.result());
        v.put("events", run.events());
        v.put("steps", run.steps());
        return v;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
