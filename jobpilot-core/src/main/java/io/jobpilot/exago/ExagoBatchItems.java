package io.jobpilot.exago;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a batch answer item by item (doc E1): each is {@code {"ReturnCode":"201","ResponseContent":{...}}}, the code a
 * string; 400 and above carries {@code {"reason","stacktrace"}}. The outer HTTP status says nothing about the items.
 */
public final class ExagoBatchItems {
    private ExagoBatchItems() {
    }

    /** One item that did not succeed. {@code number} is 1-based; the stack trace stays in batch-response.json. */
    public record Failed(int number, String method, String url, String returnCode, String reason) {
        public String describe(int total) {
            return "item " + number + " of " + total + " (" + method + " " + url + ") answered " + returnCode
                    + (reason == null ? "" : ": " + reason);
        }
    }

    /** @param answered items in the answer; {@code codesNotStrings} items whose ReturnCode was not a string as documented */
    public record Checked(int requested, int answered, List<Failed> failed, int codesNotStrings) {
    }

    public static Checked check(JsonNode requested, JsonNode answer) {
        List<Failed> failed = new ArrayList<>();
        int notStrings = 0;
        for (int i = 0; i < answer.size(); i++) {
            JsonNode item = answer.get(i);
            JsonNode req = i < requested.size() ? requested.get(i) : null;
            String method = req == null ? "?" : req.path("Method").asText("?");
            String url = req == null ? "?" : req.path("Url").asText("?");
            JsonNode code = item.get("ReturnCode");
            if (code != null && !code.isTextual() && code.isValueNode()) {
                notStrings++;
            }
            Integer status = code == null || !code.isValueNode() ? null : parse(code.asText());
            if (status == null) {
                failed.add(new Failed(i + 1, method, url, code == null ? "no ReturnCode" : "ReturnCode '" + code.asText() + "'",
                        "not a status code"));
            } else if (status >= 400) {
                JsonNode content = item.path("ResponseContent");
                String reason = content.path("reason").isValueNode() ? content.path("reason").asText() : null;
                failed.add(new Failed(i + 1, method, url, String.valueOf(status), reason));
            }
        }
        return new Checked(requested.size(), answer.size(), failed, notStrings);
    }

    private static Integer parse(String code) {
        try {
            return Integer.valueOf(code.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The ResponseContent of the answer to {@code POST Sessions} when it succeeded (it holds Id and AppUrl), or null. */
    public static JsonNode newSession(JsonNode requested, JsonNode answer) {
        for (int i = 0; i < Math.min(requested.size(), answer.size()); i++) {
            JsonNode req = requested.get(i);
            JsonNode content = answer.get(i).path("ResponseContent");
            Integer status = parse(answer.get(i).path("ReturnCode").asText(""));
            if ("POST".equals(req.path("Method").asText()) && "Sessions".equals(req.path("Url").asText())
                    && status != null && status < 300 && content.hasNonNull("Id")) {
                return content;
            }
        }
        return null;
    }
}
