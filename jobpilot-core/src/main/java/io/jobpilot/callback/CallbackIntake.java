package io.jobpilot.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.ledger.CallbackRecords;
import io.jobpilot.run.Json;
import io.jobpilot.run.RunExchange;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.jobpilot.http.JsonReplies.error;
import static io.jobpilot.http.JsonReplies.reply;

/**
 * {@code POST /callbacks/iics/{token}}: checks a callback in memory and one ledger read, and answers at once (IICS gives
 * up after 30 s and then retries): 404 for an unknown token, 413 for a body over {@code maxBody} bytes, 400 for a body
 * that is not a JSON object with runId, objectId and status; else 200, and the notice goes on (property
 * {@code callback}) to be recorded once ({@link #record}) and, every copy, to wake its run. The token is never logged
 * or kept.
 */
public final class CallbackIntake {
    public static final String NOTICE = RunExchange.CALLBACK;
    private static final Logger LOG = LoggerFactory.getLogger(CallbackIntake.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final List<String> REQUIRED = List.of("runId", "objectId", "status");

    private final CallbackTokens tokens;
    private final CallbackRecords records;
    private final int maxBody;

    public CallbackIntake(CallbackTokens tokens, CallbackRecords records, int maxBody) {
        this.tokens = tokens;
        this.records = records;
        this.maxBody = maxBody;
    }

    /** For the intake route: the answer, and property {@code callback} (a {@link CallbackNotice}) when it is 200. */
    public void check(Exchange e) {
        String token = e.getMessage().getHeader("token", String.class);
        byte[] body = e.getMessage().getBody(byte[].class);
        Optional<String> runId = token != null && TOKEN.matcher(token).matches() ? tokens.runOf(token) : Optional.empty();
        if (runId.isEmpty()) {
            LOG.debug("callback with an unknown token refused");
            reply(e, 404, error("unknown callback token"));
            return;
        }
        if (body != null && body.length > maxBody) {
            reply(e, 413, error("the body is larger than " + maxBody + " bytes"));
            return;
        }
        JsonNode json = parse(body);
        if (json == null || !json.isObject()) {
            reply(e, 400, error("the body must be a JSON object like {\"@type\":\"callbackUrlResponse\",\"objectId\":...,"
                    + "\"runId\":...,\"status\":\"COMPLETED\"}"));
            return;
        }
        List<String> missing = REQUIRED.stream().filter(f -> !json.hasNonNull(f) || !json.get(f).isValueNode()
                || json.get(f).asText().isBlank()).toList();
        if (!missing.isEmpty()) {
            reply(e, 400, error("the callback lacks " + String.join(", ", missing)));
            return;
        }
        CallbackNotice notice = new CallbackNotice(runId.get(), CallbackTokens.hash(token), json.get("objectId").asText(),
                json.get("runId").asText(), json.get("status").asText());
        e.setProperty(NOTICE, notice);
        LOG.debug("callback for run {}: task {} run {} {}", notice.runId(), notice.objectId(), notice.remoteRunId(), notice.status());
        reply(e, 200, Json.write(Map.of("received", true)));
    }

    /**
     * For the processing route: records the callback's receipt once (IICS sends it again until it gets a 200) and
     * answers true the first time. A copy is not recorded again, but it still wakes the run (the route's next step).
     */
    public boolean record(Exchange e) {
        CallbackNotice n = e.getProperty(NOTICE, CallbackNotice.class);
        boolean first = records.firstReceipt(n.tokenHash(), n.objectId(), n.remoteRunId(), n.status());
        if (!first) {
            LOG.debug("callback for run {} received again (recorded already)", n.runId());
        }
        return first;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException ex) {
            return null;
        }
    }
}
