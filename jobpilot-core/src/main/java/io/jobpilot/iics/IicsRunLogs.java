package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;
import io.jobpilot.run.Run;
import io.jobpilot.run.Secrets;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;

import static io.jobpilot.iics.IicsExchange.call;
import static io.jobpilot.iics.IicsExchange.response;
import static io.jobpilot.run.RunExchange.run;

/**
 * The logs of a task run that ended FAILED or WARNING (vendor-apis-more.md §d), downloaded before the run ends:
 * {@code GET /api/v2/activity/activityLog/<entry id>/sessionLog} as session.log, and for a linear taskflow (an entry
 * with child entries) each failed or warning child's {@code ...sessionLog?itemId=<child id>} as
 * session-<child id>.log; IICS answers those as a ZIP, and any answer that is one (it starts with {@code PK\3\4}) is
 * saved as .zip instead. When the run has rejected rows, {@code GET /api/v2/activity/errorLog/<entry id>} as error.log
 * (its content is not JSON; an empty one is not saved). A log IICS does not give is a warning in run.json, never the
 * run's failure.
 */
public final class IicsRunLogs {
    private static final String PLAN = "iicsLogs";
    private static final String CURRENT = "iicsLog";
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final String LOG = "/api/v2/activity/activityLog/";

    /** One log to download: its request and the artifact it becomes (without extension for a session log). */
    record Download(VendorRequest request, String artifact, String what, boolean sniff) {
    }

    /** FAILED or WARNING, with the entry of the ended run. */
    public boolean wanted(Exchange e) {
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        return e.getProperty(IicsJobApi.ENTRY) != null && remote != null
                && (remote.state() == RemoteState.FAILED || remote.state() == RemoteState.WARNING);
    }

    public void plan(Exchange e) {
        e.setProperty(PLAN, plan(e.getProperty(IicsJobApi.ENTRY, JsonNode.class)));
    }

    static Deque<Download> plan(JsonNode entry) {
        Deque<Download> plan = new ArrayDeque<>();
        String id = entry.path("id").asText(null);
        if (id == null || id.isBlank()) {
            return plan;
        }
        String entryUrl = LOG + encode(id) + "/sessionLog";
        boolean linearTaskflow = "WORKFLOW".equalsIgnoreCase(entry.path("type").asText());
        if (linearTaskflow) {
            for (JsonNode child : entry.path("entries")) {
                String childId = child.path("id").asText(null);
                int state = child.path("state").asInt(0);
                if (childId != null && !childId.isBlank() && (state == 2 || state == 3)) {
                    plan.add(new Download(download("get session log of " + childId, entryUrl + "?itemId=" + encode(childId)),
                            "session-" + childId.replaceAll("[^A-Za-z0-9_-]", "_"), "the session log of task entry " + childId, true));
                }
            }
        } else {
            plan.add(new Download(download("get session log", entryUrl), "session", "the session log", true));
        }
        if (rejectedRows(entry) > 0) {
            plan.add(new Download(download("get error log", "/api/v2/activity/errorLog/" + encode(id)), "error.log",
                    "the error log", false));
        }
        return plan;
    }

    private static long rejectedRows(JsonNode entry) {
        return Arrays.stream(new String[] {"failedSourceRows", "failedTargetRows"}).mapToLong(f -> entry.path(f).asLong(0)).sum();
    }

    /** A look-up (a 404 says "no log") of any content type, spooled to disk: session logs can be large. */
    private static VendorRequest download(String step, String url) {
        return new VendorRequest(IicsSession.VENDOR, step, "GET", url, Map.of("Accept", "*/*"), null).asLookup();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    public boolean hasNext(Exchange e) {
        Deque<Download> plan = e.getProperty(PLAN, Deque.class);
        return plan != null && !plan.isEmpty();
    }

    @SuppressWarnings("unchecked")
    public void next(Exchange e) {
        Download d = ((Deque<Download>) e.getProperty(PLAN, Deque.class)).poll();
        e.setProperty(CURRENT, d);
        call(e, d.request().spooledTo(run(e).file(".log.download")));
    }

    /** Saves the answer as its artifact: .zip when it is one, else .log; no log, or an empty one, is a warning. */
    public void saved(Exchange e) throws IOException {
        Run run = run(e);
        Download d = e.getProperty(CURRENT, Download.class);
        VendorResponse r = response(e);
        if (r.status() == 404 || isEmpty(r)) {
            run.warn("IICS gave no " + d.what().replaceFirst("^the ", "") + (r.status() == 404 ? " (HTTP 404)" : " (an empty answer)")
                    + " for " + describe(run));
            return;
        }
        String name = d.sniff() ? d.artifact() + (isZip(r) ? ".zip" : ".log") : d.artifact();
        r.saveAs(run, name);
    }

    /** A download that failed (after its retries) leaves a warning; the run goes on to its outcome. */
    public void missing(Exchange e) {
        Throwable t = e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Download d = e.getProperty(CURRENT, Download.class);
        // the failure is handled here: marks an error handler left on the exchange would keep later ones from handling theirs
        e.getExchangeExtension().setRedeliveryExhausted(false);
        e.getExchangeExtension().setErrorHandlerHandled(null);
        e.setException(null);
        run(e).warn("could not download " + (d == null ? "a log" : d.what()) + " for " + describe(run(e)) + ": "
                + Secrets.scrub(t == null ? "unknown error" : t.getMessage()));
    }

    private static String describe(Run run) {
        return "IICS task " + run.remoteId(IicsJobApi.TASK_ID) + " run " + run.remoteId(IicsJobApi.RUN_ID);
    }

    private static boolean isEmpty(VendorResponse r) {
        return r.bodyFile() == null && (r.body() == null || r.body().length == 0);
    }

    private static boolean isZip(VendorResponse r) throws IOException {
        try (InputStream in = r.stream()) {
            return Arrays.equals(in.readNBytes(ZIP.length), ZIP);
        }
    }
}
