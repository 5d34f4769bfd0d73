package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jobpilot.sandbox.iics.IicsAnswers.error;
import static io.jobpilot.sandbox.iics.IicsSimulator.ORG;
import static io.jobpilot.sandbox.iics.IicsSimulator.PASSWORD;
import static io.jobpilot.sandbox.iics.IicsSimulator.USER;

/**
 * Login and sessions: v3 and v2 login on the login host, answering with the POD's base URL (baseApiUrl, serverUrl),
 * and sessions that stop working after idle time or when a script expires them all.
 */
final class IicsSessions {
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger logins = new AtomicInteger();
    private volatile Duration idleTimeout = Duration.ofMinutes(30);

    /** @param podUrl the POD's base URL on the host this login was sent to */
    void login(SimRequest r, boolean v2, String podUrl) throws IOException {
        JsonNode creds = IicsAnswers.parse(r.body());
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
        String userId = "0100000300000000000A";
        if (v2) {
            r.json(200, Json.write(Map.of("@type", "user", "id", userId, "orgId", "010000", "orgUuid", "4ZbAe2Y0ZxFkCkMJfQXxs2",
                    "name", USER, "icSessionId", sessionId, "serverUrl", podUrl, "securityQuestion", "First pet?",
                    "emails", "jobpilot@example.com", "phone", "+1 555 0100")));
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("products").addObject().put("name", "Integration Cloud").put("baseApiUrl", podUrl);
        body.putObject("userInfo").put("sessionId", sessionId).put("id", userId).put("name", USER).put("parentOrgId", "52ZSTB0IDK6dXxaEQLUaQu")
                .put("orgId", "010000").put("orgName", ORG).put("status", "Active").putObject("groups");
        r.json(200, Json.write(body));
    }

    /** True for a session that has not been idle too long; each use starts its idle time again. */
    boolean valid(String id) {
        if (id == null) {
            return false;
        }
        Instant last = sessions.get(id);
        if (last == null || Instant.now().isAfter(last.plus(idleTimeout))) {
            sessions.remove(id);
            return false;
        }
        sessions.put(id, Instant.now());
        return true;
    }

    void expireAll() {
        sessions.clear();
    }

    void idleTimeout(Duration d) {
        idleTimeout = d;
    }

    int logins() {
        return logins.get();
    }
}
