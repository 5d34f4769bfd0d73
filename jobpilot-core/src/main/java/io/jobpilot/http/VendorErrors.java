package io.jobpilot.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;

/**
 * Pulls the vendor's own code and message out of an error body, whichever of the documented shapes it has:
 * IICS v3 {@code {"error":{"code","message"}}}, IICS v2 {@code {"code","description"}}, Exago {@code {"reason"}},
 * InfoLink {@code {"result":{"message"}}}, or a plain {@code {"message"}}; HTML pages and text are summarised.
 */
public final class VendorErrors {
    private VendorErrors() {
    }

    public record Described(String code, String message) {
    }

    public static Described describe(VendorResponse response) {
        if (response.isHtml()) {
            return new Described(null, "HTML error page '" + response.htmlTitle() + "'");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(response.text());
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            String s = response.snippet();
            return new Described(null, s.isEmpty() ? "no error text" : s);
        }
        JsonNode error = node.path("error");
        if (error.isObject()) {
            return new Described(text(error, "code"), first(error, "message", "description", "debugMessage"));
        }
        JsonNode result = node.path("result");
        if (result.isObject() && result.has("message")) {
            return new Described(text(node, "code"), text(result, "message"));
        }
        String message = first(node, "description", "message", "reason", "error_description", "error", "detail", "title");
        return new Described(text(node, "code"), message == null ? response.snippet() : message);
    }

    private static String first(JsonNode node, String... names) {
        for (String n : names) {
            String t = text(node, n);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }
}
