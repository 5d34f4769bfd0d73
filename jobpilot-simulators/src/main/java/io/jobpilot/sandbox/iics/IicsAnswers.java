package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/** What every IICS API area shares: error bodies of both API versions, and reading a JSON request body. */
final class IicsAnswers {
    private IicsAnswers() {
    }

    /** v2: {"code","description","statusCode","@type":"error"}; v3: {"error":{"code","message","requestId","details"}}. */
    static void error(SimRequest r, boolean v2, int status, String code, String message) throws IOException {
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        if (v2) {
            r.json(status, Json.write(Map.of("@type", "error", "code", code, "description", message, "statusCode", status)));
        } else {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putObject("error").put("code", code).put("message", message).put("requestId", requestId).putNull("details");
            r.json(status, Json.write(body));
        }
    }

    /** The body as a JSON object; null when it is not one. */
    static JsonNode parse(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The v2 or v3 answer to a session that expired or never was. */
    static void invalidSession(SimRequest r, boolean v2) throws IOException {
        error(r, v2, 401, "AUTH_01", "Invalid or expired session ID.");
    }
}
