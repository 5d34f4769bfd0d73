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
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.Runs;
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

    private final String baseUrl;
    private final Ledger ledger;
    private final Runs runs;
    private final Progress progress;
    private final int maxPages;
    private final long progressEveryMs;
    private final Map<String, Long> lastProgress = new ConcurrentHashMap<>();

    private final io.jobpilot.run.Metrics metrics;

    public OneIntegrateApi(String baseUrl, Ledger ledger, Runs runs, Progress progress, int maxPages, long progressEveryMs,
                           io.jobpilot.run.Metrics metrics) {
        this.metrics = metrics;
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

    private static Run run(Exchange e) {
        return e.getProperty("run", Run.class);
    }

    private static void request(Exchange e, VendorRequest r) {
        e.setProperty(HttpExchanges.REQUEST, r);
    }

    private static VendorResponse response(Exchange e) {
        return e.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
    }

    // ---- 1. PUT the session ---------------------------------------------------------------------------------------

    public void putSessionRequest(Exchange e) throws IOException {
        Run run = run(e);
        String body = Files.readString(Path.of(run.param("session")));
        request(e, VendorRequest.json(VENDOR, "put session", "PUT", url(run, "sessions", ""), body));
        e.setProperty("tolerateStatus", 409);
    }

    /** 409: the path is in use. {@code if-exists} decides: fail (default), reuse the existing session, or replace it. */
    public void onSessionExists(Exchange e) {
        Run run = run(e);
        String path = run.param("path");
        switch (run.param("if-exists", "fail")) {
            case "reuse" -> {
                run.warn("session path '" + path + "' already existed; ran the existing session (-p if-exists=reuse)");
                progress.say(run, "session " + path + " exists; reusing it");
            }
            case "replace" -> {
                e.setProperty("replaceSession", true);
                progress.say(run, "session " + path + " exists; replacing it");
            }
            default -> throw new RunFailure(ErrorKind.VENDOR, "put session", "409", "1Integrate already has something at path '"
                    + path + "' (PUT answered 409 Conflict). Use -p if-exists=reuse to run the existing session, "
                    + "-p if-exists=replace to delete and recreate it, or choose another -p path");
        }
    }

    public void deleteSessionRequest(Exchange e) {
        Run run = run(e);
        request(e, new VendorRequest(VENDOR, "delete existing session", "DELETE", url(run, "sessions", ""), Map.of(), null));
    }

    // ---- 2. play ----------------------------------------------------------------------------------------------------

    public void playRequest(Exchange e) {
        request(e, VendorRequest.json(VENDOR, "play session", "POST", url(run(e), "sessions", "?action=play"), "{}"));
    }

    /** 1Integrate's stop discards all results, so on timeout jobpilot pauses: the results stay, and play continues it. */
    public void pauseRequest(Exchange e) {
        request(e, VendorRequest.json(VENDOR, "pause session", "POST", url(run(e), "sessions", "?action=pause"), "{}"));
        e.setProperty("stopDescription", "the session was paused, not stopped (1Integrate's stop discards all results); "
                + "play it again in 1Integrate or start a new run to continue");
    }

    public void played(Exchange e) {
        Run run = run(e);
        ledger.remoteId(run, "session", run.param("path"));
        ledger.stepDone(run, "played");
        runs.started(run, "session " + run.param("path") + " playing");
    }

    // ---- 3. status --------------------------------------------------------------------------------------------------

    public void statusRequest(Exchange e) {
        request(e, VendorRequest.get(VENDOR, "get session status", url(run(e), "results", "/status")));
    }

    /** Sets {@code remote}; with paused-means=continue a Paused session sets {@code replay} so the route plays it again. */
    public void readStatus(Exchange e) {
        JsonNode body = response(e).json();
        JsonNode status = body.isTextual() ? body : body.path("status");
        if (status.isObject()) {
            status = status.has("state") ? status.path("state") : status.path("status");
        }
        if (!status.isValueNode()) {
            throw response(e).malformed("a status without a 'status' field: " + response(e).snippet());
        }
        String message = firstText(body, "message", "errorMessage", "error", "detail", "description");
        boolean pausedMeansDone = !"continue".equals(run(e).param("paused-means", "done"));
        RemoteStatus remote = OneIntegrateStatus.map(status.asText(), message, pausedMeansDone);
        e.setProperty(PollPolicy.REMOTE, remote);
        e.setProperty("replay", !pausedMeansDone && OneIntegrateStatus.isPaused(status.asText()));
    }

    /** After polling: a failed session ends the run FAILED with 1Integrate's own text. */
    public void requireSuccess(Exchange e) {
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        if (remote != null && remote.isTerminal() && remote.state() != io.jobpilot.run.RemoteState.SUCCEEDED) {
            Outcome outcome = remote.state() == io.jobpilot.run.RemoteState.STOPPED ? Outcome.STOPPED : Outcome.FAILED;
            throw new RunFailure(ErrorKind.REMOTE_JOB, "session status", remote.vendorStatus(), "1Integrate session '"
                    + run(e).param("path") + "' ended with status " + remote.vendorStatus()
                    + (remote.message() == null ? "" : ": " + remote.message()), outcome, null);
        }
    }

    // ---- 4. the session and its tasks ------------------------------------------------------------------------------

    public void sessionRequest(Exchange e) {
        request(e, VendorRequest.get(VENDOR, "get session", url(run(e), "sessions", "")));
    }

    /** Writes session.json; the body becomes the task identifiers in session order. */
    public List<String> saveSession(Exchange e) throws IOException {
        Run run = run(e);
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

    /** False for a task a resumed run already collected completely. */
    public boolean taskNotCollected(Exchange e) {
        return run(e).needs("task:" + e.getProperty("taskId", String.class));
    }

    // ---- 5. task summary --------------------------------------------------------------------------------------------

    public void summaryRequest(Exchange e) {
        String task = e.getProperty("taskId", String.class);
        request(e, VendorRequest.get(VENDOR, "get summary of task " + task, url(run(e), "results", "/task?taskIdentifier="
                + SessionPaths.query(task))));
    }

    /** Writes tasks/&lt;id&gt;/summary.json and remembers reportCount (the concurrent paging plan) and the error count. */
    public void saveSummary(Exchange e) throws IOException {
        Run run = run(e);
        String task = e.getProperty("taskId", String.class);
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
        Run run = run(e);
        String task = e.getProperty("taskId", String.class);
        int pageSize = Integer.parseInt(run.param("page-size", "1000"));
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
        Run run = run(e);
        String task = e.getProperty("taskId", String.class);
        ReportPaging paging = e.getProperty("paging", ReportPaging.class);
        int start = e.getMessage().getBody(Integer.class);
        e.setProperty("pageStart", start);
        request(e, VendorRequest.get(VENDOR, "get reports " + start + "-" + (start + paging.pageSize() - 1) + " of task " + task,
                url(run, "results", "/report?taskIdentifier=" + SessionPaths.query(task) + "&start=" + start + "&count="
                        + paging.pageSize())));
    }

    public void writeReportPage(Exchange e) throws IOException {
        Run run = run(e);
        VendorResponse r = response(e);
        if (r.isHtml()) {
            throw r.malformed("an HTML page (" + r.htmlTitle() + ") instead of a report page");
        }
        ReportPaging paging = e.getProperty("paging", ReportPaging.class);
        int start = e.getProperty("pageStart", Integer.class);
        try {
            metrics.reportEntries(paging.writePage(start, r.stream()));
        } catch (NdjsonPageWriter.MalformedPageException ex) {
            throw r.malformed("a report page that is not a JSON array of entries (" + ex.getMessage() + "): " + r.snippet());
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw r.malformed("a report page with malformed JSON (" + ex.getOriginalMessage() + "): " + r.snippet());
        }
        reportProgress(run, e.getProperty("taskId", String.class), paging, false);
    }

    /** For the one-by-one loop after the concurrent pages: false once a short page has ended the list. */
    public boolean moreReports(Exchange e) {
        return !e.getProperty("paging", ReportPaging.class).isComplete();
    }

    public int nextReportStart(Exchange e) {
        return e.getProperty("paging", ReportPaging.class).nextStart();
    }

    public void assembleReports(Exchange e) throws IOException {
        Run run = run(e);
        String task = e.getProperty("taskId", String.class);
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
        ledger.stepDone(run, "task:" + task);
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
        Long total = paging.announcedTotal();
        progress.say(run, "task " + task + ": " + paging.fetched() + (total == null ? "" : "/" + total) + " reports fetched"
                + (force ? " (done)" : ""));
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
