package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorAuthentication;
import io.jobpilot.http.VendorErrors;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.RunFailure;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One IICS session per connection, shared by every run: v3 login (POST {login-url}/saas/public/core/v3/login) gives
 * {@code baseApiUrl} and {@code sessionId}. The same id goes out as {@code INFA-SESSION-ID} on v3 calls and as
 * {@code icSessionId} on v2 calls under {@code <baseApiUrl>/api/v2/...}. IICS drops a session after 30 minutes
 * without use, so jobpilot logs in again once it has been idle for {@code idleLimit}, and once more after a 401.
 * The login answer carries personal data: only the two fields are kept, nothing of it is logged or stored.
 *
 * <p>Workflow beans put a request with a URL relative to {@code baseApiUrl} (/public/core/v3/..., /api/v2/...) in
 * property {@code iicsRequest}; {@link #authorize} turns it into the {@code request} that {@code http-send} sends.
 */
public final class IicsSession implements VendorAuthentication {
    public static final String VENDOR = "IICS";
    /** Property holding the pending call, its URL relative to baseApiUrl. */
    public static final String PENDING = "iicsRequest";
    static final String V2_PREFIX = "/api/v2/";

    private final String loginUrl;
    private final String username;
    private final String password;
    private final Duration idleLimit;
    private final Clock clock;
    private String sessionId;
    private String baseApiUrl;
    private Instant lastUsed = Instant.MIN;

    public IicsSession(String loginUrl, String username, String password, Duration idleLimit, Clock clock) {
        this.loginUrl = loginUrl == null ? null : loginUrl.replaceAll("/+$", "");
        this.username = username;
        this.password = password;
        this.idleLimit = idleLimit;
        this.clock = clock;
    }

    /** True when there is no session, or it has been idle long enough that IICS may have dropped it. */
    @Override
    public synchronized boolean needsLogin() {
        return sessionId == null || !clock.instant().isBefore(lastUsed.plus(idleLimit));
    }

    @Override
    public synchronized void invalidate() {
        sessionId = null;
    }

    /** Puts the v3 login into property {@code request} (the pending call stays in {@code iicsRequest}). */
    @Override
    public void loginRequest(Exchange exchange) {
        if (loginUrl == null || username == null || password == null) {
            throw new RunFailure(ErrorKind.USAGE, "log in", null, "IICS connection is not configured: set jobpilot.iics.login-url "
                    + "(e.g. https://dm-us.informaticacloud.com), jobpilot.iics.username and jobpilot.iics.password "
                    + "(or JOBPILOT_IICS_PASSWORD)");
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        exchange.setProperty(HttpExchanges.REQUEST, VendorRequest.json(VENDOR, "log in", "POST",
                loginUrl + "/saas/public/core/v3/login", Json.write(body)));
    }

    /** Keeps sessionId and baseApiUrl from the login answer, and nothing else of it. */
    @Override
    public void accept(Exchange exchange) {
        VendorResponse r = exchange.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
        exchange.removeProperty(HttpExchanges.RESPONSE);
        if (r.status() == 400 || r.status() == 401 || r.status() == 403) {
            VendorErrors.Described d = VendorErrors.describe(r);
            throw new RunFailure(ErrorKind.AUTHENTICATION, "log in", d.code() == null ? String.valueOf(r.status()) : d.code(),
                    "IICS rejected the login of user '" + username + "' at " + loginUrl + " (HTTP " + r.status()
                            + (d.code() == null ? "" : ", " + d.code()) + ": " + d.message()
                            + "); check jobpilot.iics.login-url (your organisation's POD), username and password");
        }
        IicsErrors.requireSuccessOf(r);
        JsonNode login;
        try {
            login = Json.MAPPER.readTree(r.body() == null ? new byte[0] : r.body());
        } catch (IOException e) {
            login = null;
        }
        if (login == null || !login.isObject()) {
            throw r.malformed("a login answer that is not a JSON object");   // not quoted: it may hold personal data
        }
        String id = login.path("userInfo").path("sessionId").asText(null);
        String base = null;
        for (JsonNode product : login.path("products")) {
            if (product.hasNonNull("baseApiUrl")) {
                base = product.get("baseApiUrl").asText();
                break;
            }
        }
        if (id == null || id.isBlank() || base == null || base.isBlank()) {
            throw r.malformed("a login answer without userInfo.sessionId or products[].baseApiUrl");
        }
        synchronized (this) {
            sessionId = id;
            baseApiUrl = base.replaceAll("/+$", "");
            lastUsed = clock.instant();
        }
    }

    /** The pending call, resolved against baseApiUrl, with the session header of its API version, as {@code request}. */
    @Override
    public void authorize(Exchange exchange) {
        VendorRequest pending = exchange.getProperty(PENDING, VendorRequest.class);
        String id;
        String base;
        synchronized (this) {
            id = sessionId;
            base = baseApiUrl;
            lastUsed = clock.instant();
        }
        boolean v2 = pending.url().startsWith(V2_PREFIX);
        exchange.setProperty(HttpExchanges.REQUEST, pending.withUrl(base + pending.url())
                .withHeader(v2 ? "icSessionId" : "INFA-SESSION-ID", id));
    }

    /** The session's id and baseApiUrl, marked as used: for calls that go elsewhere than baseApiUrl (taskflows). */
    synchronized Current use() {
        lastUsed = clock.instant();
        return new Current(sessionId, baseApiUrl);
    }

    /** What a call outside baseApiUrl needs of the session. */
    record Current(String sessionId, String baseApiUrl) {
    }
}
