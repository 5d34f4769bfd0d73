package io.jobpilot.sandbox.exago;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;
import io.jobpilot.sandbox.VendorSimulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stateful Exago BI REST web service (shared/reference/vendor-apis.md §4): Basic authorization with user id and REST
 * key, {@code POST /rest/Sessions} and {@code POST /rest/batch} with {@code ?config=} and {@code ?sid=}, batch items
 * evaluated in order with string ReturnCodes, client errors as HTTP 500 with a JSON {@code reason}, and an HTML 500
 * when REST is switched off. Roles, parameters and settings live per session.
 */
public final class ExagoSimulator implements VendorSimulator {
    public static final String USER_ID = "jobpilot";
    public static final String REST_KEY = "exago-rest-key-1";
    private static final String STACK = "   at WebReports.Api.Rest.BatchController.Execute(BatchItem item)\n   at WebReports.Api.Rest.Router.Route()";

    private final Map<String, SimSession> sessions = new ConcurrentHashMap<>();
    private final Set<String> configs = ConcurrentHashMap.newKeySet();
    private volatile boolean restEnabled = true;
    private volatile boolean stopAtFirstFailure;

    private static final class SimSession {
        final String config;
        final Set<String> roles = ConcurrentHashMap.newKeySet();
        final Map<String, JsonNode> parameters = new ConcurrentHashMap<>();
        volatile boolean appUrlUsed;

        SimSession(String config) {
            this.config = config;
            roles.addAll(Set.of("Admin", "Analyst", "Viewer"));
        }
    }

    public ExagoSimulator() {
        configs.add("WebReports");
    }

    @Override
    public String root() {
        return "/ExagoWebApi";
    }

    @Override
    public String vendor() {
        return "Exago";
    }

    @Override
    public String describe(String baseUrl) {
        return "Exago      " + baseUrl + "  user id " + USER_ID + ", REST key " + REST_KEY + "  (configs: " + String.join(", ", configs) + ")";
    }

    // ---- scripting (tests, demo) ------------------------------------------------------------------------------------

    /** Answer every REST call with the HTML 500 page Exago shows when ExagoREST is off. */
    public ExagoSimulator restEnabled(boolean enabled) {
        restEnabled = enabled;
        return this;
    }

    /** Stop evaluating a batch at its first failed item (whether Exago does is undocumented). */
    public ExagoSimulator stopAtFirstFailure(boolean b) {
        stopAtFirstFailure = b;
        return this;
    }

    /** An API session that exists already, for batches with ?sid=. */
    public String existingSession() {
        String id = UUID.randomUUID().toString();
        sessions.put(id, new SimSession("WebReports"));
        return id;
    }

    public boolean hasSession(String id) {
        return sessions.containsKey(id);
    }

    // ---- the API ----------------------------------------------------------------------------------------------------

    @Override
    public void handle(SimRequest r) throws IOException {
        if (!restEnabled || !r.path().startsWith("rest/")) {
            r.send(restEnabled ? 404 : 500, "text/html", ("<!DOCTYPE html><html><head><title>Runtime Error</title></head><body>"
                    + "<h1>Server Error in '/ExagoWebApi' Application.</h1></body></html>").getBytes(StandardCharsets.UTF_8), Map.of());
            return;
        }
        String auth = r.header("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER_ID + ":" + REST_KEY).getBytes(StandardCharsets.UTF_8));
        if (auth == null || !auth.startsWith("Basic ")) {
            reason(r, 500, "Unauthorized");
            return;
        }
        try {
            Base64.getDecoder().decode(auth.substring(6).trim());
        } catch (IllegalArgumentException e) {
            reason(r, 500, "Invalid length for a Base-64 char array or string.");
            return;
        }
        if (!auth.equals(expected)) {
            reason(r, 500, "Unauthorized");
            return;
        }
        String config = r.query("config");
        if (config != null && !configs.contains(config)) {
            reason(r, 500, "Unable to load configuration");
            return;
        }
        String sid = r.query("sid");
        if (sid != null && !sessions.containsKey(sid)) {
            reason(r, 500, "setupD is null");
            return;
        }
        switch (r.method() + " " + r.path().substring(5)) {
            case "POST Sessions" -> r.json(201, Json.write(newSession(config)));
            case "POST batch" -> batch(r, config, sid);
            default -> r.json(404, "{\"reason\":\"No resource " + r.method() + " " + r.path() + "\"}");
        }
    }

    private static void reason(SimRequest r, int status, String reason) throws IOException {
        r.json(status, Json.write(Map.of("reason", reason)));
    }

    private void batch(SimRequest r, String config, String sid) throws IOException {
        JsonNode items;
        try {
            items = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            reason(r, 500, "Unexpected character encountered while parsing value. Path '', line 1.");
            return;
        }
        if (items == null || !items.isArray()) {
            reason(r, 500, "Cannot deserialize the current JSON object into type 'List`1[BatchItem]'");
            return;
        }
        ArrayNode answer = Json.MAPPER.createArrayNode();
        SimSession session = sid == null ? null : sessions.get(sid);
        for (JsonNode item : items) {
            String url = item.path("Url").asText();
            String method = item.path("Method").asText();
            ObjectNode out = answer.addObject();
            if (method.equals("POST") && url.equals("Sessions")) {
                ObjectNode created = newSession(config);
                session = sessions.get(created.get("Id").asText());
                item(out, 201, created);
            } else if (session == null) {
                failed(out, 500, "setupD is null");
            } else {
                evaluate(out, session, method, url, item.path("Payload"));
            }
            if (stopAtFirstFailure && Integer.parseInt(out.get("ReturnCode").asText()) >= 400) {
                break;
            }
        }
        r.json(200, Json.write(answer));
    }

    private void evaluate(ObjectNode out, SimSession s, String method, String url, JsonNode payload) {
        String[] parts = url.split("/", 2);
        String id = parts.length > 1 ? parts[1] : null;
        switch (method + " " + parts[0]) {
            case "POST Sessions" -> {
                if ("Save".equals(id) && payload.hasNonNull("FileName")) {
                    configs.add(payload.get("FileName").asText().replaceAll("\\.xml$", ""));
                    noContent(out);
                } else {
                    failed(out, 400, "FileName is required");
                }
            }
            case "PATCH Roles" -> {
                if (id != null && s.roles.contains(id)) {
                    noContent(out);
                } else {
                    failed(out, 404, "Role '" + id + "' does not exist");
                }
            }
            case "POST Roles" -> {
                s.roles.add(payload.path("Id").asText("Role" + s.roles.size()));
                item(out, 201, payload);
            }
            case "GET Roles" -> item(out, 200, Json.MAPPER.valueToTree(s.roles));
            case "POST Parameters" -> {
                if (!payload.hasNonNull("Id")) {
                    failed(out, 400, "Parameter Id is required");
                } else {
                    s.parameters.put(payload.get("Id").asText(), payload);
                    item(out, 201, payload);
                }
            }
            case "GET Parameters" -> item(out, 200, Json.MAPPER.valueToTree(s.parameters.values()));
            case "PATCH Settings", "PATCH Parameters", "DELETE Parameters", "DELETE Roles" -> noContent(out);
            case "POST DataSources", "POST Entities" -> item(out, 201, payload);
            default -> failed(out, 404, "The resource '" + url + "' does not support " + method + " (resource names are case-sensitive)");
        }
    }

    private ObjectNode newSession(String config) {
        String id = UUID.randomUUID().toString();
        sessions.put(id, new SimSession(config == null ? "WebReports" : config));
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("AppUrl", "ExagoHome.aspx?d=" + UUID.randomUUID().toString().replace("-", "") + "&showerrordetail=true");
        s.put("ApiKey", UUID.randomUUID().toString().replace("-", ""));
        s.put("Id", id);
        s.put("Page", "ExagoHome").put("ApiAction", "Default").putNull("ExportType");
        s.put("ShowTabs", true).put("ShowErrorDetail", true);
        ObjectNode rs = s.putObject("ReportSettings");
        rs.putNull("Id").putNull("ReportPath").putNull("SortsResource").putNull("FilterItems");
        rs.put("IsError", false).putNull("ErrorList");
        return s;
    }

    private static void item(ObjectNode out, int code, JsonNode content) {
        out.put("ReturnCode", String.valueOf(code)).set("ResponseContent", content == null || content.isMissingNode()
                ? Json.MAPPER.createObjectNode() : content);
    }

    private static void noContent(ObjectNode out) {
        out.put("ReturnCode", "204").putObject("ResponseContent").put("StatusCode", 204).putNull("StatusDescription");
    }

    private static void failed(ObjectNode out, int code, String reason) {
        out.put("ReturnCode", String.valueOf(code)).putObject("ResponseContent").put("reason", reason).put("stacktrace", STACK);
    }
}
