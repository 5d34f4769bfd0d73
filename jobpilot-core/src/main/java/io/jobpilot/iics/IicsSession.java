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
 * One IICS session per connection, shared by every run. The login is either by user and password (v3: POST
 * {login-url}/saas/public/core/v3/login, giving {@code sessionId} and {@code products[].baseApiUrl}) or, with
 * {@code jobpilot.iics.org-id} and a JWT source ({@link IicsJwt}), the SSO login (v2: POST
 * {login-url}/ma/api/v2/user/loginOAuth {oauthToken, orgId}, giving the v2 user object with {@code icSessionId} and
 * {@code serverUrl}). The same id goes out as {@code INFA-SESSION-ID} on v3 calls under {@code baseApiUrl} and as
 * {@code icSessionId} on v2 calls under {@code serverUrl} (vendor-apis.md §2-3). A login answer that lacks one of the
 * two URLs gives the other for both (a v3 answer has no serverUrl, a v2 one no baseApiUrl; they were equal in every
 * real answer seen). IICS drops a session after 30 minutes without use, so jobpilot logs in again once it has been
 * idle for {@code idleLimit}, and once more after a 401. The login answer carries personal data: only the id and the
 * URLs are kept, nothing of it is logged or stored.
 *
 * <p>Workflow beans put a request with a URL relative to the API root (/public/core/v3/..., /api/v2/...) in property
 * {@code iicsRequest}; {@link #authorize} turns it into the {@code request} that {@code http-send} sends.
 */
public final class IicsSession implements VendorAuthentication {
    public static final String VENDOR = "IICS";
    /** Property holding the pending call, its URL relative to the API root. */
    public static final String PENDING = "iicsRequest";
    static final String V2_PREFIX = "/api/v2/";

    private final String loginUrl;
    private final String username;
    private final String password;
    private final String orgId;
    private final IicsJwt jwt;
    private final Duration idleLimit;
    private final Clock clock;
    private String sessionId;
    private String baseApiUrl;
    private String serverUrl;
    private Instant lastUsed = Instant.MIN;

    /** @param jwt the SSO login's token source, or null to log in with user and password */
    public IicsSession(String loginUrl, String username, String password, String orgId, IicsJwt jwt, Duration idleLimit,
                       Clock clock) {
        this.loginUrl = loginUrl == null ? null : loginUrl.replaceAll("/+$", "");
        this.username = username;
        this.password = password;
        this.orgId = orgId == null || orgId.isBlank() ? null : orgId.trim();
        this.jwt = jwt;
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

    /** Puts the login into property {@code request} (the pending call stays in {@code iicsRequest}). */
    @Override
    public void loginRequest(Exchange exchange) {
        exchange.setProperty(HttpExchanges.REQUEST, jwt != null ? ssoLogin() : passwordLogin());
    }

    private VendorRequest passwordLogin() {
        if (loginUrl == null || username == null || password == null) {
            throw new RunFailure(ErrorKind.USAGE, "log in", null, "IICS connection is not configured: set jobpilot.iics.login-url "
                    + "(e.g. https://dm-us.informaticacloud.com), jobpilot.iics.username and jobpilot.iics.password "
                    + "(or JOBPILOT_IICS_PASSWORD), or for an SSO login jobpilot.iics.org-id and jobpilot.iics.jwt, -file or -command");
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        return VendorRequest.json(VENDOR, "log in", "POST", loginUrl + "/saas/public/core/v3/login", Json.write(body));
    }

    /** POST /ma/api/v2/user/loginOAuth with a token not used before (a JWT is good for one login). */
    private VendorRequest ssoLogin() {
        if (loginUrl == null || orgId == null) {
            throw new RunFailure(ErrorKind.USAGE, "log in", null, "IICS SSO login is not configured: set jobpilot.iics.login-url "
                    + "(e.g. https://dm-us.informaticacloud.com) and jobpilot.iics.org-id (your organisation's id) beside "
                    + jwt.source());
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("orgId", orgId);
        body.put("oauthToken", jwt.next());
        return VendorRequest.json(VENDOR, "log in", "POST", loginUrl + "/ma/api/v2/user/loginOAuth", Json.write(body));
    }

    /** Keeps the session id and the two API roots from the login answer, and nothing else of it. */
    @Override
    public void accept(Exchange exchange) {
        VendorResponse r = exchange.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
        exchange.removeProperty(HttpExchanges.RESPONSE);
        if (r.status() == 400 || r.status() == 401 || r.status() == 403) {
            VendorErrors.Described d = VendorErrors.describe(r);
            throw new RunFailure(ErrorKind.AUTHENTICATION, "log in", d.code() == null ? String.valueOf(r.status()) : d.code(),
                    "IICS rejected the " + (jwt != null ? "SSO login of organisation '" + orgId + "' with the token from "
                            + jwt.source() : "login of user '" + username + "'") + " at " + loginUrl + " (HTTP " + r.status()
                            + (d.code() == null ? "" : ", " + d.code()) + ": " + d.message() + "); check jobpilot.iics.login-url "
                            + "(your organisation's POD), " + (jwt != null ? "org-id and the token's issuer, audience and expiry"
                            : "username and password"));
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
        String id = login.path("userInfo").path("sessionId").asText(login.path("icSessionId").asText(null));
        String base = null;
        for (JsonNode product : login.path("products")) {
            if (product.hasNonNull("baseApiUrl")) {
                base = product.get("baseApiUrl").asText();
                break;
            }
        }
        String server = login.path("serverUrl").asText(null);
        if (blank(id) || blank(base) && blank(server)) {
            throw r.malformed("a login answer without a session id (userInfo.sessionId, icSessionId) or an API root "
                    + "(products[].baseApiUrl, serverUrl)");
        }
        synchronized (this) {
            sessionId = id;
            baseApiUrl = (blank(base) ? server : base).replaceAll("/+$", "");
            serverUrl = (blank(server) ? base : server).replaceAll("/+$", "");
            lastUsed = clock.instant();
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The pending call, resolved against serverUrl (v2) or baseApiUrl (v3), with the session header of its API version, as {@code request}. */
    @Override
    public void authorize(Exchange exchange) {
        VendorRequest pending = exchange.getProperty(PENDING, VendorRequest.class);
        boolean v2 = pending.url().startsWith(V2_PREFIX);
        String id;
        String base;
        synchronized (this) {
            id = sessionId;
            base = v2 ? serverUrl : baseApiUrl;
            lastUsed = clock.instant();
        }
        exchange.setProperty(HttpExchanges.REQUEST, pending.withUrl(base + pending.url())
                .withHeader(v2 ? "icSessionId" : "INFA-SESSION-ID", id));
    }

    /** The session's id and serverUrl, marked as used: for calls that go elsewhere than the API roots (taskflows). */
    synchronized Current use() {
        lastUsed = clock.instant();
        return new Current(sessionId, serverUrl);
    }

    /** What a call outside the API roots needs of the session. */
    record Current(String sessionId, String serverUrl) {
    }
}
