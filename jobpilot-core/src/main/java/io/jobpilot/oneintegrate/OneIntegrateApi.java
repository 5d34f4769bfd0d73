package io.jobpilot.oneintegrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.paging.NdjsonPageWriter;
import io.jobpilot.paging.ReportPaging;
import io.jobpilot.run.Artifacts;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RemoteStatus;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunError;
import io.jobpilot.run.RunExchange;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.RemoteStart;
import io.jobpilot.run.Runs;
import io.jobpilot.run.StartIntents;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 1Integrate Sessions REST API, one method per documented call (seed 000): each {@code *Request} method puts the
 * {@link VendorRequest} in property {@code request}; each reader takes the {@link VendorResponse} from {@code response}.
 */
public final class OneIntegrateApi {
    private static final String VENDOR = OneIntegrateToken.VENDOR;

    /** PUT /sessions/{path} and POST ?action=play, each bracketed in the ledger: sent, then answered. */
    public static final RemoteStart SESSION_PUT = new RemoteStart("session-put-sent", "session-put", "put session",
            "1Integrate session PUT");
    public static final RemoteStart PLAY = new RemoteStart("play-sent", "played", "play session", "1Integrate play");
    /** The status before play of a session with no results yet (its status answered 404). */
    static final String NEVER_RAN = "no results yet";
    private static final String REPLACE_SESSION = "replaceSession";
    private static final String SEEN_STATUS = "seenStatus";
    /** The authenticated call route (routes/oneintegrate-session.camel.yaml). */
    private static final String CALL_ROUTE = "oneintegrate-call";

    private final String baseUrl;
    private final Ledger ledger;
    private final StartIntents startIntents;
    private final Runs runs;
    private final Progress progress;
    private final int maxPages;
    private final long progressEveryMs;
    private final Map<String, Long> lastProgress = new ConcurrentHashMap<>();

    private final io.jobpilot.run.Metrics metrics;

    public OneIntegrateApi(String baseUrl, Ledger ledger, StartIntents startIntents, Runs runs, Progress progress, int maxPages,
                           long progressEveryMs, io.jobpilot.run.Metrics metrics) {
        this.metrics = metrics;
        this.startIntents = startIntents;
        this.baseUrl = baseUrl == null ? null : baseUrl.replaceAll("/+$", "");
        this.ledger = ledger;
        this.runs = runs;
        this.progress = progress;
        this.maxPages = maxPages;
        this.progressEveryMs = progressEveryMs;
    }

    private String url(Run run, String root, String suffix) {
        if (baseUrl == null) {
            throw new RunFailure(ErrorKind.USAGE, "configuration", null, "jobpilot.oneintegrate.base-url is not set "
                    + "(e.g. http://host:8080/1Integrate/rest)");
        }
        return baseUrl + "/" + root + "/" + SessionPaths.encode(run.param("path")) + suffix;
    }

    private static void request(Exchange e, VendorRequest r) {
        e.setProperty(HttpExchanges.REQUEST, r);
    }

    private static VendorResponse response(Exchange e) {
        return e.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
    }

    // ---- 1. PUT the session: look at the path first, then PUT, exactly once ---------------------------------------------

    /** With -p session=FILE, until the session is PUT (or found to be this run's own after an interrupted PUT). */
    public boolean createsSession(Exchange e) {
        Run run = RunExchange.run(e);
        return run.param("session") != null && (SESSION_PUT.needed(run) || StartIntents.sendNow(e));
    }

    /** A PUT was sent (perhaps by a process that died) and its answer never recorded. */
    public boolean putUnanswered(Exchange e) {
        Run run = RunExchange.run(e);
        return run.param("session") != null && StartIntents.mustReconcile(e, SESSION_PUT);
    }

    /** GET /sessions/{path}: 404 means the path is free. */
    public void existingSessionRequest(Exchange e) {
        request(e, VendorRequest.get(VENDOR, "look for a session at the path", url(RunExchange.run(e), "sessions", ""))
                .asLookup());
        e.setProperty(StartIntents.CALL, CALL_ROUTE);
    }

    /**
     * A taken path is decided by {@code if-exists} before anything is written: fail (default), reuse the session there,
     * or replace it (DELETE, then PUT). PUT answering 409 is not taken to mean "the path exists": clients read it as a
     * stale resource, so the path is looked at first.
     */
    public void onExistingSession(Exchange e) {
        Run run = RunExchange.run(e);
        String path = run.param("path");
        if (response(e).status() == 404) {
            e.setProperty(REPLACE_SESSION, false);
            return;
        }
        switch (run.param("if-exists")) {
            case "reuse" -> {
                run.warn("session path '" + path + "' already existed; ran the existing session (-p if-exists=reuse)");
                progress.say(run, "session " + path + " exists; reusing it");
                startIntents.answered(run, SESSION_PUT);
            }
            case "replace" -> {
                e.setProperty(REPLACE_SESSION, true);
                progress.say(run, "session " + path + " exists; replacing it");
            }
            default -> throw new RunFailure(ErrorKind.VENDOR, "look for a session at the path", null, "1Integrate already has "
                    + "something at path '" + path + "'. Use -p if-exists=reuse to run the existing session, -p if-exists=replace "
                    + "to delete and recreate it, or choose another -p path");
        }
    }

    public boolean replacesSession(Exchange e) {
        return e.getProperty(REPLACE_SESSION, false, Boolean.class);
    }

    public void deleteSessionRequest(Exchange e) {
        Run run = RunExchange.run(e);
        request(e, new VendorRequest(VENDOR, "delete existing session", "DELETE", url(run, "sessions", ""), Map.of(), null));
        e.setProperty(StartIntents.CALL, CALL_ROUTE);
    }

    /** PUT /sessions/{path} with the session file; the intent notes whether the path was free or the session replaced. */
    public void putSessionRequest(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        String body = Files.readString(Path.of(run.param("session")));
        request(e, VendorRequest.json(VENDOR, "put session", "PUT", url(run, "sessions", ""), body));
        e.setProperty(StartIntents.START, SESSION_PUT);
        e.setProperty(StartIntents.CALL, CALL_ROUTE);
        e.setProperty(StartIntents.DETAIL, replacesSession(e) ? "replacing the session at the path" : "the path was free");
    }

    public void sessionPut(Exchange e) {
        startIntents.answered(RunExchange.run(e), SESSION_PUT);
        e.removeProperty(REPLACE_SESSION);
    }

    // ---- 1b. a PUT whose answer was lost: the path was free (or emptied) at the intent, so a session there is ours ----

    public void reconcilingPut(Exchange e) {
        startIntents.reconciling(e, SESSION_PUT);
        e.setProperty(StartIntents.CHECK, "oneintegrate-find-session");
    }

    public void judgePut(Exchange e) {
        Run run = RunExchange.run(e);
        if (response(e).status() == 404) {
            StartIntents.verdict(e, StartIntents.Verdict.NOT_STARTED);
            return;
        }
        startIntents.answered(run, SESSION_PUT);
        run.warn("the PUT of session '" + run.param("path") + "' was interrupted before 1Integrate's answer was recorded; the "
                + "session found at the path (" + StartIntents.sentDetail(run, SESSION_PUT) + " when it was sent) is this run's own");
        StartIntents.verdict(e, StartIntents.Verdict.STARTED);
    }

    public void concludePut(Exchange e) {
        startIntents.conclude(e, "no session at path '" + RunExchange.run(e).param("path") + "'");
    }

    // ---- 2. play: the status before it goes with the intent, so an interrupted play can be judged ----------------------

    public boolean needsPlay(Exchange e) {
        return PLAY.needed(RunExchange.run(e)) || StartIntents.sendNow(e);
    }

    public boolean playUnanswered(Exchange e) {
        return StartIntents.mustReconcile(e, PLAY);
    }

    /** A session this run PUT has never run: its status before play needs no reading. */
    public boolean readsStatusBeforePlay(Exchange e) {
        Run run = RunExchange.run(e);
        return !(run.done(SESSION_PUT.sent()) && run.done(SESSION_PUT.answered()));
    }

    /** GET /results/{path}/status before play (404: the session never ran). */
    public void statusBeforeRequest(Exchange e) {
        request(e, VendorRequest.get(VENDOR, "get session status before play", url(RunExchange.run(e), "results", "/status"))
                .asLookup());
        e.setProperty(StartIntents.CALL, CALL_ROUTE);
    }

    /** POST ?action=play, its intent noting the status before. */
    public void startPlayRequest(Exchange e) {
        String before = readsStatusBeforePlay(e) ? statusOrNever(e) : NEVER_RAN;
        playRequest(e);
        e.setProperty(StartIntents.START, PLAY);
        e.setProperty(StartIntents.CALL, CALL_ROUTE);
        e.setProperty(StartIntents.DETAIL, before);
    }

    public void playRequest(Exchange e) {
        request(e, VendorRequest.json(VENDOR, "play session", "POST", url(RunExchange.run(e), "sessions", "?action=play"), "{}"));
    }

    /** 1Integrate's stop discards all results, so on timeout jobpilot pauses: the results stay, and play continues it. */
    public void pauseRequest(Exchange e) {
        request(e, VendorRequest.json(VENDOR, "pause session", "POST", url(RunExchange.run(e), "sessions", "?action=pause"),
                "{}"));
        RunExchange.describeStop(e, "the session was paused, not stopped (1Integrate's stop discards all results); "
                + "play it again in 1Integrate or start a new run to continue");
    }

    public void played(Exchange e) {
        Run run = RunExchange.run(e);
        ledger.together(() -> {
            ledger.remoteId(run, "session", run.param("path"));
            startIntents.answered(run, PLAY);
            runs.started(run, "session " + run.param("path") + " playing");
        });
    }

    // ---- 2b. a play whose answer was lost: a status that moved away from the one before means it went through ----------

    public void reconcilingPlay(Exchange e) {
        startIntents.reconciling(e, PLAY);
        e.setProperty(StartIntents.CHECK, "oneintegrate-find-play");
    }

    /**
     * Moved from the status before: played. Unchanged from "never ran": not seen yet (a play leaves that state at
     * once, so after every look it did not happen). Unchanged from any other state (a Finished session that may have
     * run again and finished): 1Integrate cannot tell.
     */
    public void judgePlay(Exchange e) {
        Run run = RunExchange.run(e);
        String before = StartIntents.sentDetail(run, PLAY);
        String now = statusOrNever(e);
        boolean unchanged = OneIntegrateStatus.neverRan(now) ? OneIntegrateStatus.neverRan(before) : now.equalsIgnoreCase(before);
        if (!unchanged) {
            played(e);
            run.warn("the play of session '" + run.param("path") + "' was interrupted before 1Integrate's answer was recorded; "
                    + "its status had moved from " + before + " to " + now + ", so it was not played again");
            StartIntents.verdict(e, StartIntents.Verdict.STARTED);
        } else {
            StartIntents.verdict(e, OneIntegrateStatus.neverRan(now) ? StartIntents.Verdict.NOT_SEEN_YET : StartIntents.Verdict.UNKNOWN);
        }
        e.setProperty(SEEN_STATUS, now);
    }

    public void concludePlay(Exchange e) {
        startIntents.conclude(e, "the session's status is still " + e.getProperty(SEEN_STATUS, String.class)
                + ", as before the play; check the session in 1Integrate");
        e.removeProperty(SEEN_STATUS);
    }

    /** The status word of the answer in {@code response}, or {@value #NEVER_RAN} for a 404. */
    private String statusOrNever(Exchange e) {
        VendorResponse r = response(e);
        return r.status() == 404 ? NEVER_RAN : statusWord(r);
    }

    // ---- 3. status --------------------------------------------------------------------------------------------------

    public void statusRequest(Exchange e) {
        request(e, VendorRequest.get(VENDOR, "get session status", url(RunExchange.run(e), "results", "/status")));
    }

    /** Sets {@code remote}; with paused-means=continue a Paused session sets {@code replay} so the route plays it again. */
    public void readStatus(Exchange e) {
        VendorResponse r = response(e);
        String status = statusWord(r);
        String message = firstText(r.json(), "message", "errorMessage", "error", "detail", "description");
        boolean pausedMeansDone = "done".equals(RunExchange.run(e).param("paused-means"));
        RemoteStatus remote = OneIntegrateStatus.map(status, message, pausedMeansDone);
        e.setProperty(PollPolicy.REMOTE, remote);
        e.setProperty(RunExchange.REPLAY, !pausedMeansDone && OneIntegrateStatus.isPaused(status));
    }

    /** The status word, whichever of the plausible shapes the answer has (a string, {status}, {status: {state}}). */
    private static String statusWord(VendorResponse r) {
        JsonNode body = r.json();
        JsonNode status = body.isTextual() ? body : body.path("status");
        if (status.isObject()) {
            status = status.has("state") ? status.path("state") : status.path("status");
        }
        if (!status.isValueNode()) {
            throw r.malformed("a status without a 'status' field: " + r.snippet());
        }
        return status.asText();
    }

    /** After polling: a failed session ends the run FAILED with 1Integrate's own text. */
    public void requireSuccess(Exchange e) {
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        if (remote != null && remote.isTerminal() && remote.state() != io.jobpilot.run.RemoteState.SUCCEEDED) {
            Outcome outcome = remote.state() == io.jobpilot.run.RemoteState.STOPPED ? Outcome.STOPPED : Outcome.FAILED;
            throw new RunFailure(ErrorKind.REMOTE_JOB, "session status", remote.vendorStatus(), "1Integrate session '"
                    + RunExchange.run(e).param("path") + "' ended with status " + remote.vendorStatus()
                    + (remote.message() == null ? "" : ": " + remote.message()), outcome, null);
        }
    }

    // ---- 4. the session and its tasks ------------------------------------------------------------------------------

    public void collecting(Exchange e) {
        runs.collecting(RunExchange.run(e), "collecting results");
    }

    public void sessionRequest(Exchange e) {
        request(e, VendorRequest.get(VENDOR, "get session", url(RunExchange.run(e), "sessions", "")));
    }

    /** Writes session.json; the body becomes the task identifiers in session order. */
    public List<String> saveSession(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        VendorResponse r = response(e);
        JsonNode session = r.json();
        r.saveAs(run, "session.json");
        List<String> tasks = new ArrayList<>();
        collectTaskIds(session, tasks);
        if (tasks.isEmpty()) {
            run.warn("the session has no tasks with a taskIdentifier: no reports to collect");
        }
        run.count("tasks", tasks.size());
        e.getMessage().setBody(tasks);
        return tasks;
    }

    /** Every taskIdentifier in document order, also under the documented misspelling taskIndentifier. */
    static void collectTaskIds(JsonNode node, List<String> out) {
        if (node.isObject()) {
            JsonNode id = node.has("taskIdentifier") ? node.get("taskIdentifier") : node.get("taskIndentifier");
            if (id != null && id.isValueNode() && !id.asText().isBlank() && !out.contains(id.asText())) {
                out.add(id.asText());
            }
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collectTaskIds(it.next(), out);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectTaskIds(n, out));
        }
    }

    /** False for a task a resumed run already collected completely (assembleReports marks it done). */
    public boolean taskNotCollected(Exchange e) {
        return RunExchange.run(e).needs(collectedStep(RunExchange.taskId(e)));
    }

    /** The ledger's step of a task whose summary and reports are all on disk. */
    private static String collectedStep(String task) {
        return "task:" + task;
    }

    // ---- 5. task summary --------------------------------------------------------------------------------------------

    public void summaryRequest(Exchange e) {
        String task = RunExchange.taskId(e);
        request(e, VendorRequest.get(VENDOR, "get summary of task " + task, url(RunExchange.run(e), "results",
                "/task?taskIdentifier=" + SessionPaths.query(task))));
    }

    /** Writes tasks/&lt;id&gt;/summary.json and remembers reportCount (the concurrent paging plan) and the error count. */
    public void saveSummary(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        String task = RunExchange.taskId(e);
        VendorResponse r = response(e);
        JsonNode summary = r.json();
        String dir = "tasks/" + taskDir(task);
        Files.createDirectories(run.file(dir));
        r.saveAs(run, dir + "/summary.json");
        Long reportCount = number(summary, "reportCount", "reportcount", "nonSummaryReportCount");
        Long errors = number(summary, "errors", "errorCount", "errorsEncountered", "errorsFound");
        Long processed = number(summary, "objectsProcessed", "processedObjects", "objectCount", "processed");
        e.setProperty("reportCount", reportCount);
        Map<String, Object> counts = taskCounts(run, task);
        if (reportCount != null) counts.put("reportCount", reportCount);
        if (errors != null) counts.put("errors", errors);
        if (processed != null) counts.put("objectsProcessed", processed);
        if (errors != null && errors > 0) {
            run.completedWithWarning(new RunError(ErrorKind.REMOTE_JOB, "task summary", null,
                    "1Integrate reported " + errors + " error(s) in task " + task + " (see " + dir + "/summary.json)"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> taskCounts(Run run, String task) {
        Map<String, Object> tasks = (Map<String, Object>) run.counts().computeIfAbsent("taskCounts", k -> new LinkedHashMap<>());
        run.count("taskCounts", tasks);
        return (Map<String, Object>) tasks.computeIfAbsent(task, k -> new LinkedHashMap<String, Object>());
    }

    // ---- 6. report pages --------------------------------------------------------------------------------------------

    /** Opens the paging of the current task's reports; the body becomes the starts to fetch concurrently. */
    public List<Integer> planReports(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        String task = RunExchange.taskId(e);
        int pageSize = Integer.parseInt(run.param("page-size"));
        ReportPaging paging = new ReportPaging(run.file("tasks/" + taskDir(task) + "/reports.ndjson"), pageSize,
                e.getProperty("reportCount", Long.class), maxPages);
        e.setProperty("paging", paging);
        List<Integer> starts = paging.plannedStarts();
        if (paging.pagesOnDisk() > 0) {
            progress.say(run, "task " + task + ": " + paging.pagesOnDisk() + " report page(s) already on disk, fetching the rest");
        }
        e.getMessage().setBody(starts);
        return starts;
    }

    /** The body (or property {@code pageStart}) is the start of the page to fetch. */
    public void reportPageRequest(Exchange e) {
        Run run = RunExchange.run(e);
        String task = RunExchange.taskId(e);
        ReportPaging paging = e.getProperty("paging", ReportPaging.class);
        int start = e.getMessage().getBody(Integer.class);
        e.setProperty("pageStart", start);
        request(e, VendorRequest.get(VENDOR, "get reports " + start + "-" + (start + paging.pageSize() - 1) + " of task " + task,
                url(run, "results", "/report?taskIdentifier=" + SessionPaths.query(task) + "&start=" + start + "&count="
                        + paging.pageSize())));
    }

    public void writeReportPage(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        VendorResponse r = response(e);
        if (r.isHtml()) {
            throw r.malformed("an HTML page (" + r.htmlTitle() + ") instead of a report page");
        }
        ReportPaging paging = e.getProperty("paging", ReportPaging.class);
        int start = e.getProperty("pageStart", Integer.class);
        try {
            metrics.reportEntries(paging.writePage(start, r.body() == null ? new byte[0] : r.body()));
        } catch (NdjsonPageWriter.MalformedPageException ex) {
            throw r.malformed("a report page that is not a JSON array of entries (" + ex.getMessage() + "): " + r.snippet());
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw r.malformed("a report page with malformed JSON (" + ex.getOriginalMessage() + "): " + r.snippet());
        }
        e.removeProperty(HttpExchanges.RESPONSE);   // the page is on its way to disk: its answer need not live on
        reportProgress(run, RunExchange.taskId(e), paging, false);
    }

    /** For the one-by-one loop after the concurrent pages: false once a short page has ended the list. */
    public boolean moreReports(Exchange e) {
        return !e.getProperty("paging", ReportPaging.class).isComplete();
    }

    public int nextReportStart(Exchange e) {
        return e.getProperty("paging", ReportPaging.class).nextStart();
    }

    public void assembleReports(Exchange e) throws IOException {
        Run run = RunExchange.run(e);
        String task = RunExchange.taskId(e);
        ReportPaging paging = e.getProperty("paging", ReportPaging.class);
        ReportPaging.Assembled done = paging.assemble();
        String file = "tasks/" + taskDir(task) + "/reports.ndjson";
        run.artifact(file);
        Map<String, Object> counts = taskCounts(run, task);
        counts.put("reports", done.entries());
        Object before = run.counts().get("reports");
        run.count("reports", (before instanceof Number n ? n.longValue() : 0L) + done.entries());
        if (paging.announcedTotal() != null && paging.announcedTotal() != done.entries()) {
            run.warn("task " + task + ": the summary's reportCount is " + paging.announcedTotal() + " but " + done.entries()
                    + " reports were returned");
        }
        if (done.ignored() > 0) {
            run.warn("task " + task + ": " + done.ignored() + " reports on pages after the first short page were ignored "
                    + "(the list changed while it was paged)");
        }
        reportProgress(run, task, paging, true);
        ledger.stepDone(run, collectedStep(task));
        ledger.progress(run);
    }

    private void reportProgress(Run run, String task, ReportPaging paging, boolean force) {
        long now = System.currentTimeMillis();
        String key = run.runId() + "/" + task;
        Long last = lastProgress.get(key);
        if (!force && (paging.isComplete() || last != null && now - last < progressEveryMs)) {
            return;
        }
        lastProgress.put(key, now);
        progress.counting(run, "task " + task, paging.fetched(), paging.announcedTotal(), "reports fetched", force);
        if (force) {
            lastProgress.remove(key);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    /** A task identifier as a directory name. */
    public static String taskDir(String task) {
        return Artifacts.safeName(task);
    }

    private static Long number(JsonNode node, String... names) {
        for (String n : names) {
            JsonNode v = node.get(n);
            if (v != null && (v.isNumber() || v.isTextual() && v.asText().matches("\\d+"))) {
                return v.asLong();
            }
        }
        return null;
    }

    private static String firstText(JsonNode node, String... names) {
        for (String n : names) {
            JsonNode v = node.get(n);
            if (v != null && v.isValueNode() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

}
