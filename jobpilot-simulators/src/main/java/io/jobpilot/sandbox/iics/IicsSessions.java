package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jobpilot.sandbox.iics.IicsAnswers.error;
import static io.jobpilot.sandbox.iics.IicsSimulator.ORG;
import static io.jobpilot.sandbox.iics.IicsSimulator.ORG_ID;
import static io.jobpilot.sandbox.iics.IicsSimulator.PASSWORD;
import static io.jobpilot.sandbox.iics.IicsSimulator.USER;

/**
 * Login and sessions: v3, v2 and SSO (loginOAuth) login on the login host, answering with the POD's base URL (baseApiUrl, serverUrl),
 * and sessions that stop working after idle time or when a script expires them all.
 */
final class IicsSessions {
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
    private static final String USER_ID = "0100000300000000000A";
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger replays = new AtomicInteger();
    private final Set<String> usedTokens = ConcurrentHashMap.newKeySet();
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
        String sessionId = newSession();
        if (v2) {
            userObject(r, sessionId, podUrl);
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("products").addObject().put("name", "Integration Cloud").put("baseApiUrl", podUrl);
        body.putObject("userInfo").put("sessionId", sessionId).put("id", USER_ID).put("name", USER).put("parentOrgId", "52ZSTB0IDK6dXxaEQLUaQu")
                .put("orgId", ORG_ID).put("orgName", ORG).put("status", "Active").putObject("groups");
        r.json(200, Json.write(body));
    }

    /**
     * SSO: POST /ma/api/v2/user/loginOAuth {oauthToken, orgId} answers the v2 user object, as the password login does
     * (vendor-apis-more.md §b). The token must be a JWT (header.payload.signature) whose payload has a {@code jti}, for
     * this organisation, and never used before: IICS takes a JWT for one login only. The error bodies are the v2 error
     * object; their codes are the sandbox's own (the real ones are UNCONFIRMED).
     */
    void loginOAuth(SimRequest r, String podUrl) throws IOException {
        JsonNode body = IicsAnswers.parse(r.body());
        String token = body == null ? null : body.path("oauthToken").asText(null);
        if (body == null || !ORG_ID.equals(body.path("orgId").asText()) || token == null) {
            error(r, true, 403, "UI_10000", "The organization ID or the OAuth token is not valid.");
            return;
        }
        JsonNode claims = claims(token);
        if (claims == null || !claims.hasNonNull("jti")) {
            error(r, true, 403, "UI_10000", "The OAuth token is not a valid JSON web token.");
            return;
        }
        if (!usedTokens.add(token) | !usedTokens.add("jti:" + claims.get("jti").asText())) {
            replays.incrementAndGet();
            error(r, true, 403, "UI_10000", "The OAuth token was already used for a login.");
            return;
        }
        userObject(r, newSession(), podUrl);
    }

    /** The payload of a JWT, or null when the text is not one. */
    private static JsonNode claims(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return IicsAnswers.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** A fresh JWT for the sandbox organisation, as an identity provider issues one (unsigned: the sandbox checks no key). */
    static String newJwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long now = Instant.now().getEpochSecond();
        String payload = b64.encodeToString(Json.write(Map.of("iss", "https://idp.example.com", "sub", USER,
                "aud", "api://" + ORG_ID + ".sandbox.informaticacloud.com", "iat", now, "nbf", now, "exp", now + 300,
                "jti", UUID.randomUUID().toString())).getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + b64.encodeToString("sandbox".getBytes(StandardCharsets.UTF_8));
    }

    private String newSession() {
        logins.incrementAndGet();
        String sessionId = UUID.randomUUID().toString().replace("-", "");
        sessions.put(sessionId, Instant.now());
        return sessionId;
    }

    /** The v2 user object (of the password login and of loginOAuth), personal fields included as IICS sends them. */
    private static void userObject(SimRequest r, String sessionId, String podUrl) throws IOException {
        r.json(200, Json.write(Map.of("@type", "user", "id", USER_ID, "orgId", ORG_ID, "orgUuid", "4ZbAe2Y0ZxFkCkMJfQXxs2",
                "name", USER, "icSessionId", sessionId, "serverUrl", podUrl, "securityQuestion", "First pet?",
                "emails", "jobpilot@example.com", "phone", "+1 555 0100")));
    }

    int replays() {
        return replays.get();
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
