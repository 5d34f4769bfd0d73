package io.jobpilot.infolink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Artifacts;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunError;
import io.jobpilot.run.RunExchange;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.Runs;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The InfoLink job API (seed 004, vendor-apis.md §5), one method per documented call: executeJob with jobId = runId
 * (a retried or resumed start can never create a second job), getJobStatus, and the stop call. Every answer is
 * spooled to a file in the run directory and read with streaming parsers, so results of any size keep memory flat.
 * The API key travels in the JSON body (POST) and the query string (GET); VendorRequest and Secrets mask it.
 */
public final class InfoLinkApi {
    static final String VENDOR = "InfoLink";
    static final String ENVELOPE = "envelope";
    static final String FINAL_ANSWER = RunExchange.FINAL_ANSWER;
    static final String STATUS_FILE = "status.json";
    /** The ledger's step of a job InfoLink has (started here, or adopted on resume): executeJob is never sent again. */
    static final String EXECUTED = "executed";
    private static final String STOP_SEEN = "stopSeen";

    /** plain: /api/v1/executeJob (EnterWorks-embedded); jsp: /api/v1/executeJob.jsp (the InfoLink docs). */
    public enum PathStyle { JSP, PLAIN }

    private final String baseUrl;
    private final String apiKey;
    private final PathStyle pathStyle;
    private final String stopPath;
    private final Ledger ledger;
    private final Runs runs;
    private final Progress progress;

    public InfoLinkApi(String baseUrl, String apiKey, PathStyle pathStyle, String stopPath, Ledger ledger, Runs runs,
                       Progress progress) {
        this.baseUrl = baseUrl == null ? null : baseUrl.replaceAll("/+$", "");
        this.apiKey = apiKey;
        this.pathStyle = pathStyle;
        this.stopPath = stopPath;
        this.ledger = ledger;
        this.runs = runs;
        this.progress = progress;
    }

    public static PathStyle pathStyle(String text) {
        try {
            return PathStyle.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.jobpilot.config.JobpilotConfig.ConfigException("jobpilot.infolink.path-style must be jsp or plain, not '" + text + "'");
        }
    }

    /** The URL of an API call: {base}/api/v1/{call}, with .jsp in the jsp path style. */
    String url(String call) {
        if (baseUrl == null) {
            throw new RunFailure(ErrorKind.USAGE, "configuration", null, "jobpilot.infolink.base-url is not set "
                    + "(e.g. https://host/infolink; the API is under /api/v1)");
        }
        return baseUrl + "/api/v1/" + call + (pathStyle == PathStyle.JSP ? ".jsp" : "");
    }

    /** GET calls carry apiKey, appId and jobId in the query string. */
    private VendorRequest get(Run run, String step, String call) {
        String query = "?apiKey=" + enc(apiKey()) + "&appId=" + enc(run.param("app-id")) + "&jobId=" + enc(jobId(run));
        return VendorRequest.get(VENDOR, step, url(call) + query).spooledTo(run.file("." + call + ".answer.json"));
    }

    private String apiKey() {
        if (apiKey == null) {
            throw new RunFailure(ErrorKind.USAGE, "configuration", null, "jobpilot.infolink.api-key is not set (create a Client "
                    + "with an API key under Settings > Clients; set it as JOBPILOT_INFOLINK_API_KEY)");
        }
        return apiKey;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The job's id: the one InfoLink confirmed, else the runId jobpilot asked for. */
    private static String jobId(Run run) {
        String id = run.remoteId("job");
        return id != null ? id : run.runId();
    }

    private static boolean async(Run run) {
        return Boolean.parseBoolean(run.param("async"));
    }

    // ---- 1. executeJob ----------------------------------------------------------------------------------------------

    /** Until the job is known to InfoLink (executed, or adopted after an interruption). */
    public boolean needsExecute(Exchange e) {
        return RunExchange.run(e).needs(EXECUTED);
    }

    public void executeRequest(Exchange e) {
        Run run = RunExchange.run(e);
        ObjectNode body = Json.MAPPER.createObjectNode().put("apiKey", apiKey()).put("appId", run.param("app-id"));
        body.set("operation", InfoLinkOperation.from(run.request().params()));
        body.put("isAsync", async(run)).put("noResultSchema", Boolean.parseBoolean(run.param("no-result-schema")));
        body.put("jobId", run.runId());
        e.setProperty(HttpExchanges.REQUEST, VendorRequest.json(VENDOR, "execute job", "POST", url("executeJob"), Json.write(body))
                .spooledTo(run.file(".executeJob.answer.json")));
    }

    /** For the call route: the envelope decides, whatever the HTTP status; it is kept in property {@code envelope}. */
    public void requireEnvelope(Exchange e) {
        e.setProperty(ENVELOPE, InfoLinkAnswers.require(e.getProperty(HttpExchanges.RESPONSE, VendorResponse.class)));
    }

    /** A resumed run that never recorded its start asks InfoLink first whether job = runId exists (the crash came after the POST). */
    public void probeRequest(Exchange e) {
        e.setProperty(HttpExchanges.REQUEST, get(RunExchange.run(e), "look for the job of a resumed run", "getJobStatus"));
    }

    /** When InfoLink knows the job it is adopted (recorded as started), and executeJob is not sent again. */
    public void adoptIfKnown(Exchange e) {
        Run run = RunExchange.run(e);
        if (!InfoLinkAnswers.read(response(e)).isSuccess()) {
            return;
        }
        ledger.together(() -> {
            ledger.remoteId(run, "job", run.runId());
            ledger.stepDone(run, EXECUTED);
            runs.started(run, "job " + run.runId() + " was already started before the interruption; following it, not starting it again");
        });
    }

    /** The job exists: its id goes to the ledger at once. A synchronous job has finished and its answer holds the results. */
    public void executed(Exchange e) {
        Run run = RunExchange.run(e);
        InfoLinkEnvelope envelope = e.getProperty(ENVELOPE, InfoLinkEnvelope.class);
        String jobId = envelope.jobId() != null ? envelope.jobId() : run.runId();
        if (!jobId.equals(run.runId())) {
            run.warn("InfoLink assigned job id " + jobId + " instead of the requested " + run.runId());
        }
        ledger.together(() -> {                     // one commit: the job id, the step and the new state
            ledger.remoteId(run, "job", jobId);
            ledger.stepDone(run, EXECUTED);
            runs.started(run, "job " + jobId + (async(run) ? " started" : " ran synchronously"));
        });
        if (!async(run)) {
            e.setProperty(PollPolicy.REMOTE, InfoLinkStatus.map(InfoLinkStatus.COMPLETED, null));
            e.setProperty(FINAL_ANSWER, response(e));
        }
    }

    private static VendorResponse response(Exchange e) {
        return e.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
    }

    // ---- 2. getJobStatus ----------------------------------------------------------------------------------------------

    public void statusRequest(Exchange e) {
        e.setProperty(HttpExchanges.REQUEST, get(RunExchange.run(e), "get job status", "getJobStatus"));
    }

    /** Sets {@code remote}; a terminal answer (which holds the results) is kept for collecting. */
    public void readStatus(Exchange e) {
        InfoLinkEnvelope envelope = e.getProperty(ENVELOPE, InfoLinkEnvelope.class);
        RemoteStatus remote = InfoLinkStatus.map(envelope.jobStatus(), envelope.message());
        e.setProperty(PollPolicy.REMOTE, remote);
        if (remote.isTerminal()) {
            e.setProperty(FINAL_ANSWER, response(e));
        }
    }

    /**
     * After polling: completed goes on to the results; completedWithError is WARNING when it brought results and
     * FAILED with InfoLink's message when it did not; stopped is STOPPED.
     */
    public void requireCompleted(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        if (remote.state() == RemoteState.SUCCEEDED) {
            return;
        }
        InfoLinkEnvelope envelope = finalEnvelope(e);
        String text = "InfoLink job " + jobId(run) + " ended with status " + remote.vendorStatus()
                + (remote.message() == null ? "" : ": " + remote.message());
        if (remote.state() == RemoteState.WARNING && envelope.hasResults()) {
            run.completedWithWarning(new RunError(ErrorKind.REMOTE_JOB, "job status", remote.vendorStatus(), text));
            return;
        }
        writeStatus(run, envelope, List.of());
        throw new RunFailure(ErrorKind.REMOTE_JOB, "job status", remote.vendorStatus(), text
                + (remote.state() == RemoteState.WARNING ? " (no results)" : ""),
                remote.state() == RemoteState.STOPPED ? Outcome.STOPPED : Outcome.FAILED, null);
    }

    private static InfoLinkEnvelope finalEnvelope(Exchange e) throws IOException {
        try (InputStream in = e.getProperty(FINAL_ANSWER, VendorResponse.class).stream()) {
            return InfoLinkEnvelope.read(in);
        }
    }

    // ---- 3. results ---------------------------------------------------------------------------------------------------

    public void collecting(Exchange e) {
        runs.collecting(RunExchange.run(e), "writing result sets");
    }

    /** Streams each result set to results/&lt;name&gt;.ndjson (+ .schema.json), writes status.json, records the counts. */
    public void collectResults(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        List<InfoLinkResults.ResultSet> sets;
        try (InputStream in = e.getProperty(FINAL_ANSWER, VendorResponse.class).stream()) {
            sets = InfoLinkResults.write(in, run.file("results"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new RunFailure(ErrorKind.PROTOCOL, "write results", null, "InfoLink's answer with the results is malformed JSON: "
                    + ex.getOriginalMessage());
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        long total = 0;
        for (InfoLinkResults.ResultSet set : sets) {
            counts.put(set.name(), set.records());
            total += set.records();
            run.artifact("results/" + set.file());
            if (set.schemaFile() != null) {
                run.artifact("results/" + set.schemaFile());
            }
        }
        run.count("resultSets", sets.size());
        run.count("records", total);
        run.count("resultRecords", counts);
        writeStatus(run, finalEnvelope(e), sets);
        ledger.progress(run);
        progress.say(run, sets.size() + " result set(s), " + total + " record(s) written to results/");
        deleteAnswers(run);
    }

    /** status.json: the job's final status and message, and each result set's name, file and record count. */
    private static void writeStatus(Run run, InfoLinkEnvelope envelope, List<InfoLinkResults.ResultSet> sets) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("jobId", jobId(run));
        result.put("status", envelope.jobStatus() != null ? envelope.jobStatus() : InfoLinkStatus.COMPLETED);
        if (envelope.message() != null) {
            result.put("message", envelope.message());
        }
        result.put("results", sets);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", envelope.status());
        status.put("result", result);
        Artifacts.write(run.file(STATUS_FILE), Json.pretty(status));
        run.artifact(STATUS_FILE);
    }

    /** The spooled answers are only needed until the results are on disk. */
    private void deleteAnswers(Run run) throws IOException {
        for (String call : List.of("executeJob", "getJobStatus", stopPath)) {
            Files.deleteIfExists(run.file("." + call + ".answer.json"));
        }
    }

    // ---- 4. stop (--on-timeout stop, jobpilot stop) ------------------------------------------------------------------

    /**
     * The stop is confirmed with the shared loop (route jobpilot-confirm-stop), each check sending the stop again: the
     * first at once, then every {@code intervalMs} (jobpilot.infolink.stop-interval), {@code attempts} checks at most
     * (jobpilot.infolink.stop-attempts).
     */
    public void stopping(Exchange e, long intervalMs, int attempts) {
        Duration interval = Duration.ofMillis(intervalMs);
        e.setProperty(PollPolicy.INTERVAL, interval);
        e.setProperty(PollPolicy.DEADLINE, Instant.now().plus(interval.multipliedBy(Math.max(0, attempts - 1))));
        e.setProperty(RunExchange.POLL_AT_ONCE, true);
        e.removeProperty(STOP_SEEN);
    }

    /** The stop call: the docs name both stopJob.jsp (title) and stop.jsp (example); the path is configurable. */
    public void stopRequest(Exchange e) {
        e.setProperty(HttpExchanges.REQUEST, get(RunExchange.run(e), "stop job", stopPath));
    }

    /** False once the stop call says the job is already completed; "stop started" is confirmed through getJobStatus. */
    public boolean stopNotFinal(Exchange e) {
        InfoLinkEnvelope envelope = e.getProperty(ENVELOPE, InfoLinkEnvelope.class);
        progress.say(RunExchange.run(e), "stop: " + envelope.jobStatus());
        boolean stopFinal = InfoLinkStatus.stopIsFinal(envelope.jobStatus());
        if (stopFinal) {
            RunExchange.remote(e, InfoLinkStatus.map(InfoLinkStatus.COMPLETED, null));
        }
        return !stopFinal;
    }

    /** After the status check of a stop: the job's state as the loop sees it (terminal, normally stopped, ends it). */
    public void readStop(Exchange e) {
        InfoLinkEnvelope envelope = e.getProperty(ENVELOPE, InfoLinkEnvelope.class);
        RemoteStatus remote = InfoLinkStatus.map(envelope.jobStatus(), null);
        if (remote.isTerminal()) {
            e.setProperty(STOP_SEEN, envelope.jobStatus());
        }
        RunExchange.remote(e, remote);
    }

    /** What run.json says about the stop: InfoLink's last word on it. */
    public void describeStop(Exchange e) {
        String job = "InfoLink job " + jobId(RunExchange.run(e));
        boolean confirmed = e.getProperty(RunExchange.STOP_CONFIRM_ERROR) == null;
        String seen = (String) e.removeProperty(STOP_SEEN);
        e.removeProperty(RunExchange.STOP_CONFIRM_ERROR);
        RunExchange.describeStop(e, !confirmed ? "the stop of " + job + " was requested but not confirmed; check it in InfoLink"
                : seen == null ? job + " could not be stopped: the stop call says it had already completed"
                : job + " was stopped; getJobStatus reports '" + seen + "'");
    }
}
