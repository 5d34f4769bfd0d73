package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.config.Durations;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunError;
import io.jobpilot.run.RunExchange;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.Runs;
import io.jobpilot.run.RemoteStart;
import io.jobpilot.run.Secrets;
import io.jobpilot.run.StartIntents;
import io.jobpilot.run.UsageException;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.jobpilot.iics.IicsExchange.call;
import static io.jobpilot.iics.IicsExchange.response;
import static io.jobpilot.iics.IicsExchange.save;
import static io.jobpilot.run.RunExchange.run;

/**
 * The IICS v2 job and activity resources (seed 003): start a task, follow the run through the activity monitor
 * while it is listed there and then the activity log until it has the entry, stop it. A runId counts per task, so
 * a run is always identified by the pair (taskId, runId). Artifacts: job.json, activity-log.json.
 */
public final class IicsJobApi {
    /**
     * Property holding the callbackURL for the start request, set by the callback package's CallbackTokens, which serves
     * IICS's callbacks and so builds on this package, not the other way round.
     */
    public static final String CALLBACK_URL = "callbackUrl";
    static final String TASK_ID = "taskId";
    static final String RUN_ID = "runId";
    private static final String VENDOR = IicsSession.VENDOR;
    /** Property: the activity-log entry of the ended run. */
    static final String ENTRY = "activityEntry";
    private static final String LISTED = "listedInMonitor";
    private static final String SEEN = "seenInMonitor";
    private static final String LEFT = "leftMonitor";
    private static final String STOP_ANSWER = "stopAnswer";

    /** POST /api/v2/job, bracketed in the ledger: sent, then answered with its runId. */
    public static final RemoteStart JOB_START = new RemoteStart("job-start-sent", "job-started", "start job", "IICS job start");
    private static final String START_SEEN = "startSeen";

    private final Ledger ledger;
    private final Runs runs;
    private final StartIntents startIntents;
    private final Duration stopConfirmTimeout;
    private final Duration clockSkew;
    private final Clock clock;
    private final IicsStartOptions startOptions;

    public IicsJobApi(Ledger ledger, Runs runs, StartIntents startIntents, Duration stopConfirmTimeout, Duration clockSkew,
                      Clock clock, IicsStartOptions startOptions) {
        this.startOptions = startOptions;
        this.ledger = ledger;
        this.runs = runs;
        this.startIntents = startIntents;
        this.stopConfirmTimeout = stopConfirmTimeout;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    // ---- 1. start --------------------------------------------------------------------------------------------------

    /** A start was sent (by this run, perhaps by a process that died) and its answer never recorded. */
    public boolean startUnanswered(Exchange e) {
        return run(e).remoteId(RUN_ID) == null && StartIntents.mustReconcile(e, JOB_START);
    }

    /** False once a runId is recorded or a start was sent: a resumed run never starts the task again on its own. */
    public boolean needsStart(Exchange e) {
        Run run = run(e);
        return run.remoteId(RUN_ID) == null && (JOB_START.needed(run) || StartIntents.sendNow(e));
    }

    /**
     * POST /api/v2/job with the one task identity given, the task type in upper case, the parameter file if any and the
     * callbackURL if any.
     */
    public void startRequest(Exchange e) {
        Run run = run(e);
        ObjectNode body = jobBody(run, null);
        startOptions.addTo(body, run);
        String callbackUrl = e.getProperty(CALLBACK_URL, String.class);
        if (callbackUrl != null) {
            body.put("callbackURL", callbackUrl);
        }
        call(e, VendorRequest.json(VENDOR, "start job", "POST", "/api/v2/job", Json.write(body)));
        e.setProperty(StartIntents.START, JOB_START);
        e.setProperty(StartIntents.CALL, "iics-call");
        e.setProperty(StartIntents.DETAIL, describeTask(run));
    }

    /** The (taskId, runId) pair goes to the ledger at once, then the start answer to job.json. */
    public void started(Exchange e) throws IOException {
        Run run = run(e);
        VendorResponse r = response(e);
        JsonNode job = r.json();
        JsonNode runId = job.get(RUN_ID);
        if (runId == null || !runId.canConvertToLong()) {
            throw r.malformed("a job without a numeric 'runId': " + r.snippet());
        }
        String taskId = job.hasNonNull(TASK_ID) ? job.get(TASK_ID).asText() : job.path("taskFederatedId").asText(identity(run).getValue());
        ledger.together(() -> {                     // one commit: the pair, the answer and the new state
            ledger.remoteId(run, TASK_ID, taskId);
            ledger.remoteId(run, RUN_ID, runId.asText());
            startIntents.answered(run, JOB_START);
            runs.started(run, "task " + taskId + " (" + job.path("taskName").asText(taskType(run)) + ") started as run " + runId.asText());
        });
        save(run, "job.json", Secrets.scrub(r.text()).getBytes(StandardCharsets.UTF_8));   // the callbackURL echoed, masked
    }

    // ---- 1b. a start whose answer was lost: a run of the task that IICS began after the intent is the run's own --------

    public void reconcilingStart(Exchange e) {
        startIntents.reconciling(e, JOB_START);
        e.setProperty(StartIntents.CHECK, "iics-job-find-start");
        e.removeProperty(START_SEEN);
    }

    /** The activity monitor lists running (and, in newer pods, queued) runs of the whole organisation. */
    public void findStartInMonitor(Exchange e) {
        findStart(e, response(e).json(), "taskId", "taskName", "startTime", "the activity monitor");
    }

    /** Ended runs of the task (taskId filters only with a runId, so the task is matched here). */
    public void taskLogRequest(Exchange e) {
        call(e, VendorRequest.get(VENDOR, "look for the interrupted start in the activity log", "/api/v2/activity/activityLog?rowLimit=200"));
    }

    public void findStartInLog(Exchange e) {
        findStart(e, response(e).json(), "objectId", "objectName", "startTimeUtc", "the activity log");
    }

    /** Adopted, or (IICS lists no run of the task begun since the intent, or several) an uncertain start. */
    public void concludeStart(Exchange e) {
        Run run = run(e);
        startIntents.conclude(e, e.getProperty(START_SEEN, "IICS lists no run of " + describeTask(run) + " begun after "
                + StartIntents.sentAt(run, JOB_START) + " in the activity monitor or log", String.class)
                + "; check IICS Monitor for runs of " + describeTask(run));
    }

    private void findStart(Exchange e, JsonNode list, String idField, String nameField, String timeField, String where) {
        if (StartIntents.verdictOf(e) == StartIntents.Verdict.STARTED) {
            return;
        }
        Run run = run(e);
        Instant since = StartIntents.sentAt(run, JOB_START).minus(clockSkew);
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode entry : list.isArray() ? list : list.path("entries")) {
            if (isOfTask(entry, run, idField, nameField) && startedSince(entry.path(timeField).asText(null), since)
                    && entry.path("runContextType").asText("REST_API_V2").equals("REST_API_V2")) {
                found.add(entry);
            }
        }
        if (found.size() == 1) {
            adopt(run, found.get(0), idField, where);
            StartIntents.verdict(e, StartIntents.Verdict.STARTED);
        } else {
            if (found.size() > 1) {
                e.setProperty(START_SEEN, where + " lists " + found.size() + " runs of " + describeTask(run) + " begun after "
                        + since + " (runIds " + found.stream().map(f -> f.path(RUN_ID).asText()).toList() + ")");
            }
            StartIntents.verdict(e, StartIntents.Verdict.UNKNOWN);
        }
    }

    private void adopt(Run run, JsonNode entry, String idField, String where) {
        String taskId = entry.path(idField).asText();
        String runId = entry.path(RUN_ID).asText();
        run.warn("the start of task " + taskId + " was interrupted before IICS's answer was recorded; run " + runId
                + ", found in " + where + ", was adopted instead of starting the task again");
        ledger.together(() -> {
            ledger.remoteId(run, TASK_ID, taskId);
            ledger.remoteId(run, RUN_ID, runId);
            startIntents.answered(run, JOB_START);
            runs.started(run, "task " + taskId + " run " + runId + " found in " + where + " after an interrupted start; following it");
        });
    }

    /** The task the request named: by id (either field, entries carry the 8-character one), or by name. */
    private static boolean isOfTask(JsonNode entry, Run run, String idField, String nameField) {
        Map.Entry<String, String> id = identity(run);
        return id.getKey().equals("taskName") ? id.getValue().equals(entry.path(nameField).asText(null))
                : id.getValue().equals(entry.path(idField).asText(null)) || id.getValue().equals(entry.path("taskFederatedId").asText(null));
    }

    /** An unreadable start time cannot show that the run is this one's. */
    private static boolean startedSince(String time, Instant since) {
        try {
            return time != null && !Instant.parse(time).isBefore(since);
        } catch (DateTimeParseException notIso) {
            return false;
        }
    }

    private static String describeTask(Run run) {
        Map.Entry<String, String> id = identity(run);
        return "task " + id.getKey() + "=" + id.getValue() + (run.param("task-path") == null ? "" : " (" + run.param("task-path")
                + ")") + " (" + taskType(run) + ")";
    }

    // ---- 2. status: the activity monitor while the run is listed there, then the activity log ------------------------

    /** False once the run has been listed in the activity monitor and has left it: from then on only the log matters. */
    public boolean watchesMonitor(Exchange e) {
        return !e.getProperty(LEFT, false, Boolean.class);
    }

    public void monitorRequest(Exchange e) {
        call(e, VendorRequest.get(VENDOR, "read activity monitor", "/api/v2/activity/activityMonitor?details=false"));
    }

    /** Finds this run among every running entry of the organisation (other tasks' runs carry the same runIds). */
    public void readMonitor(Exchange e) {
        Run run = run(e);
        JsonNode entry = find(response(e).json(), run, TASK_ID);
        boolean listed = entry != null;
        e.setProperty(LISTED, listed);
        if (listed) {
            e.setProperty(SEEN, true);
            e.setProperty(PollPolicy.REMOTE, new RemoteStatus(RemoteState.RUNNING, entry.path("executionState").asText("RUNNING"), null));
        } else if (e.getProperty(SEEN, false, Boolean.class)) {
            e.setProperty(LEFT, true);
        }
    }

    public boolean notInMonitor(Exchange e) {
        return !e.getProperty(LISTED, false, Boolean.class);
    }

    /** GET /api/v2/activity/activityLog?runId=&taskId= (taskId is required with runId). */
    public void logRequest(Exchange e) {
        Run run = run(e);
        call(e, VendorRequest.get(VENDOR, "read activity log", "/api/v2/activity/activityLog?runId=" + run.remoteId(RUN_ID)
                + "&taskId=" + URLEncoder.encode(run.remoteId(TASK_ID), StandardCharsets.UTF_8)));
    }

    /** The entry, once the run has ended; until then (queued, or just finished) the run counts as running. */
    public void readLog(Exchange e) {
        Run run = run(e);
        JsonNode entry = find(response(e).json(), run, "objectId");
        if (entry == null) {
            e.setProperty(PollPolicy.REMOTE, new RemoteStatus(RemoteState.RUNNING, "not listed yet", null));
            return;
        }
        RemoteStatus status = IicsJobState.map(entry, "fail".equals(run.param("warning")));
        if (status.state() != RemoteState.RUNNING) {                // a queued entry (state 4) is not the run's end
            e.setProperty(ENTRY, entry);
        }
        e.setProperty(PollPolicy.REMOTE, status);
    }

    /** The entry of this run: its task id (under {@code taskField}, or taskId) and runId both match. */
    static JsonNode find(JsonNode list, Run run, String taskField) {
        JsonNode entries = list.isArray() ? list : list.path("entries");
        for (JsonNode entry : entries) {
            JsonNode task = entry.hasNonNull(taskField) ? entry.get(taskField) : entry.get(TASK_ID);
            if (task != null && task.asText().equals(run.remoteId(TASK_ID)) && entry.path(RUN_ID).asText().equals(run.remoteId(RUN_ID))) {
                return entry;
            }
        }
        return null;
    }

    // ---- 3. outcome --------------------------------------------------------------------------------------------------

    /** Writes activity-log.json and the row counts; state 2 is a WARNING (or FAILED), 3 FAILED with errorMsg. */
    public void finish(Exchange e) throws IOException {
        Run run = run(e);
        saveEntry(e);
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        String what = "IICS task " + run.remoteId(TASK_ID) + " run " + run.remoteId(RUN_ID);
        switch (remote.state()) {
            case SUCCEEDED -> {
            }
            case WARNING -> run.completedWithWarning(new RunError(ErrorKind.REMOTE_JOB, "activity log", vendorCode(remote),
                    what + " completed with row errors (" + rows(run) + ")" + (remote.message() == null ? "" : ": " + remote.message())));
            case STOPPED -> throw new RunFailure(ErrorKind.REMOTE_JOB, "activity log", remote.vendorStatus(), what
                    + " was stopped in IICS" + (remote.message() == null ? "" : " (" + remote.message() + ")"), Outcome.STOPPED, null);
            default -> throw new RunFailure(ErrorKind.REMOTE_JOB, "activity log", vendorCode(remote), what + " failed ("
                    + remote.vendorStatus() + (remote.vendorStatus().startsWith("state 2") ? ", completed with row errors, and "
                    + "-p warning=fail" : "") + ")" + (remote.message() == null ? "" : ": " + remote.message()));
        }
    }

    private static String vendorCode(RemoteStatus remote) {
        String code = IicsJobState.vendorCode(remote.message());
        return code == null ? remote.vendorStatus() : code;
    }

    /** activity-log.json, the row counts and the true-UTC times of the entry (startTime/endTime are Eastern Time). */
    private static void saveEntry(Exchange e) throws IOException {
        JsonNode entry = e.getProperty(ENTRY, JsonNode.class);
        if (entry == null) {
            return;
        }
        Run run = run(e);
        save(run, "activity-log.json", Json.pretty(entry).getBytes(StandardCharsets.UTF_8));
        for (String field : new String[] {"successSourceRows", "failedSourceRows", "successTargetRows", "failedTargetRows"}) {
            if (entry.path(field).canConvertToLong()) {
                run.count(field, entry.get(field).asLong());
            }
        }
        for (String field : new String[] {"startTimeUtc", "endTimeUtc"}) {
            if (entry.hasNonNull(field)) {
                run.count(field, entry.get(field).asText());
            }
        }
    }

    private static String rows(Run run) {
        Map<String, Object> c = run.counts();
        return c.getOrDefault("failedSourceRows", 0) + " failed source rows, " + c.getOrDefault("failedTargetRows", 0)
                + " failed target rows";
    }

    // ---- stop --------------------------------------------------------------------------------------------------------

    /** POST /api/v2/job/stop for the run's task; the stop is then confirmed through the activity log. */
    public void stopRequest(Exchange e) {
        Run run = run(e);
        if (run.remoteId(RUN_ID) == null) {
            throw new UsageException("run " + run.runId() + " has no IICS runId recorded: its task was never started, nothing to stop");
        }
        call(e, VendorRequest.json(VENDOR, "stop job", "POST", "/api/v2/job/stop", Json.write(jobBody(run, run.remoteId(TASK_ID)))));
    }

    /** The stop is then confirmed through the activity log (route jobpilot-confirm-stop) until its own deadline. */
    public void stopAccepted(Exchange e) {
        Run run = run(e);
        ledger.stepDone(run, "stop-requested");
        e.setProperty(STOP_ANSWER, Secrets.scrub(response(e).json().path("description").asText("accepted")));
        e.setProperty(PollPolicy.DEADLINE, clock.instant().plus(stopConfirmTimeout));
        e.removeProperty(ENTRY);
        e.removeProperty(LEFT);
        e.removeProperty(SEEN);
    }

    /** Says what the stop did ({@code stopDescription}) and saves the activity-log entry when there is one. */
    public void stopConfirmed(Exchange e) throws IOException {
        Run run = run(e);
        saveEntry(e);
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        String answer = "IICS answered the stop of task " + run.remoteId(TASK_ID) + " run " + run.remoteId(RUN_ID) + " with '"
                + e.getProperty(STOP_ANSWER, String.class) + "'";
        String description;
        if (e.getProperty(ENTRY) == null) {
            String error = e.getProperty(RunExchange.STOP_CONFIRM_ERROR, String.class);
            description = answer + ", but the activity log did not list the run as ended within "
                    + Durations.format(stopConfirmTimeout) + (error == null ? "" : " (" + Secrets.scrub(error) + ")")
                    + "; check it in IICS Monitor";
        } else if (remote.state() == RemoteState.STOPPED) {
            description = answer + "; the activity log confirms it stopped";
        } else {
            description = answer + ", but the activity log shows it had already ended with " + remote.vendorStatus();
        }
        RunExchange.describeStop(e, description);
        e.removeProperty(RunExchange.STOP_CONFIRM_ERROR);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    /** {"@type":"job", one identity field, "taskType"}; with a known taskId that one identifies the task. */
    private static ObjectNode jobBody(Run run, String knownTaskId) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("@type", "job");
        if (knownTaskId != null) {
            body.put(TASK_ID, knownTaskId);
        } else {
            Map.Entry<String, String> id = identity(run);
            body.put(id.getKey(), id.getValue());
        }
        return body.put("taskType", taskType(run));
    }

    /** The job resource's identity field and value: -p task-path is sent as the federated id the lookup gave. */
    private static Map.Entry<String, String> identity(Run run) {
        if (run.param("task-path") != null) {
            return Map.entry(IicsLookup.TASK_FEDERATED_ID, run.remoteId(IicsLookup.TASK_FEDERATED_ID));
        }
        return IicsJobSpec.IDENTITIES.entrySet().stream().filter(i -> run.param(i.getKey()) != null)
                .map(i -> Map.entry(i.getValue(), run.param(i.getKey()))).findFirst()
                .orElseThrow(() -> new UsageException("iics-job: no task identity among the parameters"));
    }

    private static String taskType(Run run) {
        return run.param("task-type").toUpperCase(Locale.ROOT);
    }
}
