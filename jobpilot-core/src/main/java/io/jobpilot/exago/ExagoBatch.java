package io.jobpilot.exago;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Artifacts;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunExchange;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.RemoteStart;
import io.jobpilot.run.Runs;
import io.jobpilot.run.StartIntents;
import io.jobpilot.run.Secrets;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Exago BI batch call (seed 002): POST {base-url}/rest/batch with the batch file, then the answer checked item by
 * item. Artifacts: batch-request.json, batch-response.json (with AppUrl masked) and session.json (the new session's
 * Id and its single-use AppUrl, which appears nowhere else).
 */
public final class ExagoBatch {
    /** POST /rest/batch, bracketed in the ledger: sent, then answered (the step names of earlier releases). */
    public static final RemoteStart BATCH = new RemoteStart("batch-sent", "batch-answered", "send batch", "Exago batch");

    static final String VENDOR = "Exago";
    static final String REQUEST_FILE = "batch-request.json";
    static final String RESPONSE_FILE = "batch-response.json";
    static final String SESSION_FILE = "session.json";

    private final String baseUrl;
    private final ExagoAuth auth;
    private final Ledger ledger;
    private final Runs runs;
    private final StartIntents startIntents;

    public ExagoBatch(String baseUrl, ExagoAuth auth, Ledger ledger, StartIntents startIntents, Runs runs) {
        this.startIntents = startIntents;
        this.baseUrl = baseUrl == null ? null : baseUrl.replaceAll("/+$", "");
        this.auth = auth;
        this.ledger = ledger;
        this.runs = runs;
    }

    /** Saves batch-request.json and puts the POST /rest/batch request in property {@code request}. */
    public void batchRequest(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        if (baseUrl == null) {
            throw new RunFailure(ErrorKind.USAGE, "configuration", null, "jobpilot.exago.base-url is not set "
                    + "(the web service root, e.g. http://host/ExagoWebApi; REST lives under /rest)");
        }
        String batch = Files.readString(Path.of(run.param("batch")));
        Artifacts.write(run.file(REQUEST_FILE), batch);
        run.artifact(REQUEST_FILE);
        StringBuilder url = new StringBuilder(baseUrl).append("/rest/batch");
        query(url, "config", run.param("config-name"));
        query(url, "sid", run.param("sid"));
        e.setProperty(HttpExchanges.REQUEST, VendorRequest.json(VENDOR, "send batch", "POST", url.toString(), batch)
                .withHeader("Authorization", auth.header()));
        e.setProperty(StartIntents.START, BATCH);
        e.setProperty(StartIntents.CALL, "exago-call");
    }

    private static void query(StringBuilder url, String name, String value) {
        if (value != null) {
            url.append(url.indexOf("?") < 0 ? '?' : '&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    /** Until the batch is sent: a batch is not idempotent, so it goes out once per run. */
    public boolean needsSend(Exchange e) {
        return BATCH.needed(RunExchange.run(e));
    }

    /** The batch went out (here, or from a process that died) and no answer was recorded. */
    public boolean answerLost(Exchange e) {
        return BATCH.unanswered(RunExchange.run(e));
    }

    /** For the call route: a 2xx JSON answer passes; anything else is classified (only 503 is transient). */
    public void requireAccepted(Exchange e) {
        ExagoErrors.requireAccepted(e.getProperty(HttpExchanges.RESPONSE, VendorResponse.class));
    }

    /**
     * The batch ran: saves session.json (Id and AppUrl) and batch-response.json (AppUrl masked), records the session Id
     * and marks the remote work started, so a failed item from here on is FAILED, not START_FAILED.
     */
    public void saveAnswer(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        VendorResponse r = e.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
        JsonNode answer = r.json();
        if (!answer.isArray()) {
            throw r.malformed("a JSON " + answer.getNodeType().name().toLowerCase() + " instead of the array of item answers");
        }
        JsonNode requested = Json.MAPPER.readTree(run.file(REQUEST_FILE).toFile());
        JsonNode session = ExagoBatchItems.newSession(requested, answer);
        String sessionId = session != null ? session.get("Id").asText() : run.param("sid");
        if (session != null) {
            writePrivately(run.file(SESSION_FILE), Json.pretty(session));
        } else {
            Artifacts.write(run.file(SESSION_FILE), Json.pretty(Map.of("Id", String.valueOf(sessionId), "created", false)));
        }
        run.artifact(SESSION_FILE);
        Artifacts.write(run.file(RESPONSE_FILE), Json.pretty(withoutSingleUseUrls(answer)));
        run.artifact(RESPONSE_FILE);
        if (sessionId != null) {
            ledger.remoteId(run, "session", sessionId);
        }
        startIntents.answered(run, BATCH);
        runs.started(run, "batch of " + requested.size() + " item(s) answered" + (session != null ? "; new session created" : ""));
    }

    /** Exago cannot look a batch up, and sending it again could apply it twice: the user decides. */
    public void cannotReconcile(Exchange e) {
        throw StartIntents.uncertain(RunExchange.run(e), BATCH, "Exago offers no way to look a batch up, and a batch is not "
                + "idempotent; check in Exago whether its items were applied (batch-request.json lists them)");
    }

    /** Every item's ReturnCode: the first one at 400 or above fails the run naming it; the others become warnings. */
    public void checkItems(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        JsonNode requested = Json.MAPPER.readTree(run.file(REQUEST_FILE).toFile());
        JsonNode answer = Json.MAPPER.readTree(run.file(RESPONSE_FILE).toFile());
        ExagoBatchItems.Checked checked = ExagoBatchItems.check(requested, answer);
        run.count("items", checked.requested());
        run.count("itemsAnswered", checked.answered());
        run.count("itemsFailed", checked.failed().size());
        if (checked.codesNotStrings() > 0) {
            run.warn(checked.codesNotStrings() + " item(s) had a numeric ReturnCode (the docs say a string); read as numbers");
        }
        if (checked.answered() != checked.requested()) {
            run.warn("Exago answered " + checked.answered() + " item(s) for the " + checked.requested() + " sent; items after "
                    + checked.answered() + " were not run or not reported (see " + RESPONSE_FILE + ")");
        }
        List<ExagoBatchItems.Failed> failed = new ArrayList<>(checked.failed());
        if (failed.isEmpty()) {
            return;
        }
        failed.stream().skip(1).forEach(f -> run.warn("Exago batch " + f.describe(checked.requested())));
        ExagoBatchItems.Failed first = failed.get(0);
        throw new RunFailure(ErrorKind.REMOTE_JOB, "batch item " + first.number(), first.returnCode(), "Exago batch "
                + first.describe(checked.requested()) + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more, see warnings)" : "")
                + "; the full answer, with any stack trace, is in " + RESPONSE_FILE);
    }

    /** A copy of the answer with every AppUrl (and the session's ApiKey) masked: they live in session.json only. */
    static JsonNode withoutSingleUseUrls(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        for (JsonNode item : copy) {
            JsonNode content = item.path("ResponseContent");
            if (content instanceof ObjectNode o) {
                for (String field : List.of("AppUrl", "ApiKey")) {
                    if (o.hasNonNull(field)) {
                        o.put(field, Secrets.MASK + " (see " + SESSION_FILE + ")");
                    }
                }
            }
        }
        return copy;
    }

    /** session.json holds a single-use secret: readable by its owner only, where the file system allows it. */
    private static void writePrivately(Path target, String content) throws IOException {
        Artifacts.write(target, content);
        try {
            Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }
}
