package io.jobpilot.http;

import io.jobpilot.run.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.util.Map;

/** Answers of jobpilot's own HTTP endpoints: a status and a JSON body, and nothing of the request's headers. */
public final class JsonReplies {
    private JsonReplies() {
    }

    public static void reply(Exchange exchange, int status, String json) {
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(json);
    }

    /** {"error": message} */
    public static String error(String message) {
        return Json.write(Map.of("error", message));
    }
}
