package io.jobpilot.oneintegrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorAuthentication;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.RunFailure;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How jobpilot proves itself to 1Integrate: an API key when one is configured, otherwise its JSON Web Token: POST /token with username and password, the token comes back in the Authorization
 * response header (bare or "Bearer ..."), lives 2 hours (the JWT's exp when it can be read). One token serves all
 * concurrent runs; it is renewed a margin before expiry and once more on a 401.
 */
public final class OneIntegrateToken implements VendorAuthentication {
    static final String VENDOR = "1Integrate";
    private static final String AUTHENTICATE = "authenticate";
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);

    private final String baseUrl;
    private final String username;
    private final String password;
    private final Duration refreshMargin;
    private final Clock clock;
    private String token;
    private Instant expiresAt = Instant.MIN;

    private final HttpExchanges http;
    private final ApiKey apiKey;

    /**
     * 1Integrate's second way in: an API key on every call instead of a token. Its header is not documented, so both
     * the header name and the value's form are configuration ({@code {key}} stands for the key).
     */
    public record ApiKey(String header, String format, String key) {
        String value() {
            return format.replace("{key}", key);
        }
    }

    public OneIntegrateToken(String baseUrl, String username, String password, Duration refreshMargin, Clock clock, HttpExchanges http,
                             ApiKey apiKey) {
        this.http = http;
        this.apiKey = apiKey;
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
        this.refreshMargin = refreshMargin;
        this.clock = clock;
    }

    @Override
    public synchronized boolean needsLogin() {
        if (apiKey != null) {
            return false;
        }
        return token == null || clock.instant().isAfter(expiresAt.minus(refreshMargin));
    }

    @Override
    public synchronized void invalidate() {
        token = null;
    }

    /** POST /token in place of the pending request (kept aside in {@code pendingRequest}). */
    @Override
    public void loginRequest(Exchange exchange) {
        if (apiKey != null) {
            throw new RunFailure(ErrorKind.AUTHENTICATION, AUTHENTICATE, "401", "1Integrate refused the API key (sent in the "
                    + apiKey.header() + " header); check jobpilot.oneintegrate.api-key, api-key-header and api-key-format");
        }
        if (username == null || password == null) {
            throw new RunFailure(ErrorKind.USAGE, AUTHENTICATE, null, "1Integrate credentials are not configured: set "
                    + "jobpilot.oneintegrate.username and jobpilot.oneintegrate.password (or JOBPILOT_ONEINTEGRATE_PASSWORD)");
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        VendorRequest current = exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
        if (current == null || !AUTHENTICATE.equals(current.step())) {
            // a retry after a token request that got no answer finds that request here: the pending call is still kept
            exchange.setProperty("pendingRequest", current);
        }
        exchange.setProperty(HttpExchanges.REQUEST, VendorRequest.json(VENDOR, AUTHENTICATE, "POST", baseUrl + "/token",
                Json.write(body)));
    }

    /** Reads the token from the answer's Authorization header and restores the pending request. */
    @Override
    public void accept(Exchange exchange) {
        VendorResponse r = exchange.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
        exchange.setProperty(HttpExchanges.REQUEST, exchange.getProperty("pendingRequest"));
        exchange.removeProperty("pendingRequest");
        if (r.status() == 401 || r.status() == 403 || r.status() == 400) {
            throw new RunFailure(ErrorKind.AUTHENTICATION, AUTHENTICATE, String.valueOf(r.status()),
                    "1Integrate rejected the credentials of user '" + username + "' (POST /token answered HTTP " + r.status()
                            + "); check jobpilot.oneintegrate.username and password");
        }
        if (!r.isSuccess()) {
            exchange.setProperty(HttpExchanges.RESPONSE, r);
            http.requireSuccess(exchange);
        }
        String header = r.header("authorization");
        if (header == null || header.isBlank()) {
            throw r.malformed("no token in the Authorization response header");
        }
        String value = header.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).trim();
        }
        synchronized (this) {
            token = value;
            expiresAt = expiryOf(value).orElse(clock.instant().plus(DEFAULT_LIFETIME));
        }
    }

    /** Adds the current token to the request about to be sent. */
    @Override
    public void authorize(Exchange exchange) {
        VendorRequest request = exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
        if (apiKey != null) {
            exchange.setProperty(HttpExchanges.REQUEST, request.withHeader(apiKey.header(), apiKey.value()));
            return;
        }
        String t;
        synchronized (this) {
            t = token;
        }
        exchange.setProperty(HttpExchanges.REQUEST, request.withHeader("Authorization", "Bearer " + t));
    }

    /** The JWT's exp claim, when the token is a readable JWT. */
    static java.util.Optional<Instant> expiryOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode claims = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            JsonNode exp = claims.get("exp");
            return exp != null && exp.canConvertToLong() ? java.util.Optional.of(Instant.ofEpochSecond(exp.asLong()))
                    : java.util.Optional.empty();
        } catch (RuntimeException | java.io.IOException e) {
            return java.util.Optional.empty();
        }
    }

    public String password() {
        return password;
    }
}
