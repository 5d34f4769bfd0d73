package io.jobpilot.exago;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Exago's REST authorization (doc E5): {@code Basic base64("UserId:RestKey")}. Both parts are optional: without a user
 * id it encodes {@code ":RestKey"}; with no key configured at all the header is {@code Basic Og==}.
 */
public record ExagoAuth(String userId, String restKey) {

    public String header() {
        String pair = (userId == null ? "" : userId) + ":" + (restKey == null ? "" : restKey);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ExagoAuth[userId=" + userId + ", restKey=****]";
    }
}
