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
import io.jobpilot.run.RemoteStart;
import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunExchange;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.Runs;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.jobpilot.iics.IicsExchange.call;
import static io.jobpilot.iics.IicsExchange.response;
import static io.jobpilot.iics.IicsExchange.save;
import static io.jobpilot.run.RunExchange.run;

/**
 * A published IICS taskflow run as an API (shared/reference/vendor-apis-more.md a): start it through its service URL
 * ({@code POST /active-bpel/rt/<API name>}, the input fields as JSON), follow it with the status resource
 * ({@code GET /active-bpel/services/tf/status/<RunId>}), terminate it ({@code PUT /active-bpel/services/tf/terminate}).
 * URLs are relative to the pod root ({@link IicsTaskflowSession}). Artifacts: taskflow-start.json,
 * taskflow-status.json (the latest status answer); each subtask's row counts go to run.json.
 */
public final class IicsTaskflowApi {
    static final String RUN_ID = "runId";
    private static final String VENDOR = IicsSession.VENDOR;
    private static final String CALL = "iics-taskflow-call";
    private static final String STATUS = "/active-bpel/services/tf/status";
    private static final String TERMINATE = "/active-bpel/services/tf/terminate";
    private static final String LAST_STATUS = "taskflowStatus";
    private static final String STOP_ANSWER = "stopAnswer";
    private static final String START_SEEN = "startSeen";
    /** The status resource's largest page (rowLimit). */
    private static final int PAGE = 50;

    /** POST /active-bpel/rt/<API name>, bracketed in the ledger: sent, then answered with its RunId. */
    public static final RemoteStart TASKFLOW_START = new RemoteStart("taskflow-start-sent", "taskflow-started", "start taskflow",
            "IICS taskflow start");

    /** How the input fields go in the start's body: UNCONFIRMED between clients (jobpilot.iics.taskflow-body). */
    public enum BodyShape {
        /** {"name": "value", ...}: the field names at the top level, as the taskflow's Swagger file describes them. */
        FLAT,
        /** {"inputs": {"name": "value", ...}}: an older public client's form. */
        INPUTS;

        /** From the setting's value, flat or inputs (any case). */
        public static BodyShape of(String setting) {
            for (BodyShape shape : values()) {
                if (shape.name().equalsIgnoreCase(setting.trim())) {
                    return shape;
                }
            }
            throw new IllegalArgumentException("jobpilot.iics.taskflow-body must be flat or inputs, not '" + setting + "'");
        }
    }

    private final Ledger ledger;
    private final Runs runs;
    private final StartIntents startIntents;
    private final BodyShape bodyShape;
    private final Duration stopConfirmTimeout;
    private final Duration clockSkew;
    private final Clock clock;

    public IicsTaskflowApi(Ledger ledger, Runs runs, StartIntents startIntents, BodyShape bodyShape, Duration stopConfirmTimeout,
                           Duration clockSkew, Clock clock) {
        this.ledger = ledger;
        this.runs = runs;
        this.startIntents = startIntents;
        this.bodyShape = bodyShape;
        this.stopConfirmTimeout = stopConfirmTimeout;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    // ---- 1. start --------------------------------------------------------------------------------------------------

    /** A start was sent (by this run, perhaps by a process that died) and its answer never recorded. */
    public boolean startUnanswered(Exchange e) {
        return run(e).remoteId(RUN_ID) == null && StartIntents.mustReconcile(e, TASKFLOW_START);
    }

    /** False once a RunId is recorded or a start was sent: a resumed run never starts the taskflow again on its own. */
    public boolean needsStart(Exchange e) {
        Run run = run(e);
        return run.remoteId(RUN_ID) == null && (TASKFLOW_START.needed(run) || StartIntents.sendNow(e));
    }

    /** POST /active-bpel/rt/<API name> with the input fields (their values never reach a log). */
    public void startRequest(Exchange e) {
        Run run = run(e);
        ObjectNode inputs = IicsTaskflowSpec.inputs(run.request().params());
        ObjectNode body = bodyShape == BodyShape.FLAT ? inputs : Json.MAPPER.createObjectNode().set("inputs", inputs);
        call(e, VendorRequest.json(VENDOR, "start taskflow", "POST", "/active-bpel/rt/" + segment(taskflow(run)), Json.write(body)));
        e.setProperty(StartIntents.START, TASKFLOW_START);
        e.setProperty(StartIntents.CALL, CALL);
        e.setProperty(StartIntents.DETAIL, "taskflow " + taskflow(run));
    }

    /** The RunId goes to the ledger at once, then the answer to taskflow-start.json. */
    public void started(Exchange e) throws IOException {
        Run run = run(e);
        VendorResponse r = response(e);
        JsonNode answer = r.json();
        String id = runIdOf(answer);
        if (id == null) {
            throw r.malformed("a taskflow start answer without a 'RunId': " + r.snippet());
        }
        ledger.together(() -> {                     // one commit: the RunId, the answer and the new state
            ledger.remoteId(run, RUN_ID, id);
            startIntents.answered(run, TASKFLOW_START);
            runs.started(run, "taskflow " + taskflow(run) + " started as run " + id);
        });
        save(run, "taskflow-start.json", Json.pretty(answer).getBytes(StandardCharsets.UTF_8));
    }

    /** {"RunId": "1256355937542115328"} (capital R, a string); runId as a fallback, as a public client reads it. */
    private static String runIdOf(JsonNode answer) {
        for (String field : new String[] {"RunId", RUN_ID}) {
            JsonNode id = answer.path(field);
            if (id.isValueNode() && !id.asText().isBlank()) {
                return id.asText().trim();
            }
        }
        return null;
    }

    // ---- 1b. a start whose answer was lost: the one run of the taskflow that IICS began after the intent -----------------

    public void reconcilingStart(Exchange e) {
        startIntents.reconciling(e, TASKFLOW_START);
        e.setProperty(StartIntents.CHECK, "iics-taskflow-find-start");
        e.removeProperty(START_SEEN);
    }

    /** The status resource's query form lists runs begun since startTime (UTC), at most 50 a page. */
    public void findStartRequest(Exchange e) {
        call(e, VendorRequest.get(VENDOR, "look for the interrupted start in the taskflow runs", STATUS + "?startTime="
                + since(run(e)).truncatedTo(ChronoUnit.SECONDS) + "&rowLimit=" + PAGE));
    }

    /** Exactly one run of the taskflow (its assetName is the API name given) begun after the intent is adopted. */
    public void findStart(Exchange e) {
        Run run = run(e);
        Instant since = since(run);
        List<JsonNode> found = new ArrayList<>();
        JsonNode list = response(e).json();
        for (JsonNode entry : list.isArray() ? list : Json.MAPPER.createArrayNode()) {     // the query form answers a list
            if (taskflow(run).equals(entry.path("assetName").asText(null)) && startedSince(entry.path("startTime").asText(null), since)
                    && runIdOf(entry) != null) {
                found.add(entry);
            }
        }
        if (found.size() == 1) {
            adopt(run, runIdOf(found.get(0)));
            StartIntents.verdict(e, StartIntents.Verdict.STARTED);
            return;
        }
        if (found.size() > 1) {
            e.setProperty(START_SEEN, "IICS lists " + found.size() + " runs of taskflow " + taskflow(run) + " begun after " + since
                    + " (runIds " + found.stream().map(IicsTaskflowApi::runIdOf).toList() + ")");
        }
        StartIntents.verdict(e, StartIntents.Verdict.UNKNOWN);    // none: perhaps not listed yet, or under another name
    }

    /** Adopted, or (none listed, or several) an uncertain start naming what to check. */
    public void concludeStart(Exchange e) {
        Run run = run(e);
        startIntents.conclude(e, e.getProperty(START_SEEN, "IICS lists no run of taskflow " + taskflow(run) + " begun after "
                + since(run), String.class) + "; check IICS Monitor for runs of taskflow " + taskflow(run));
    }

    private void adopt(Run run, String id) {
        run.warn("the start of taskflow " + taskflow(run) + " was interrupted before IICS's answer was recorded; run " + id
                + ", found in the taskflow runs, was adopted instead of starting the taskflow again");
        ledger.together(() -> {
            ledger.remoteId(run, RUN_ID, id);
            startIntents.answered(run, TASKFLOW_START);
            runs.started(run, "taskflow " + taskflow(run) + " run " + id + " found after an interrupted start; following it");
        });
    }

    private Instant since(Run run) {
        return StartIntents.sentAt(run, TASKFLOW_START).minus(clockSkew);
    }

    /** An unreadable start time cannot show that the run is this one's. */
    private static boolean startedSince(String time, Instant since) {
        try {
            return time != null && !Instant.parse(time).isBefore(since);
        } catch (DateTimeParseException notIso) {
            return false;
        }
    }

    // ---- 2. status -----------------------------------------------------------------------------------------------------

    public void statusRequest(Exchange e) {
        call(e, VendorRequest.get(VENDOR, "get taskflow status", STATUS + "/" + segment(runId(run(e)))));
    }

    /** Sets {@code remote} from {@code status}; the answer is saved as taskflow-status.json, its subtasks to run.json. */
    public void readStatus(Exchange e) throws IOException {
        Run run = run(e);
        VendorResponse r = response(e);
        JsonNode status = r.json();
        if (!status.isObject()) {
            throw r.malformed("a taskflow status that is not a JSON object: " + r.snippet());
        }
        e.setProperty(LAST_STATUS, status);
        save(run, "taskflow-status.json", Json.pretty(status).getBytes(StandardCharsets.UTF_8));
        recordSubtasks(run, status);
        e.setProperty(PollPolicy.REMOTE, IicsTaskflowState.map(status.path("status").asText(null),
                status.path("errorMessage").asText(null), "wait".equals(run.param("suspended"))));
    }

    /** Each subtask (subtaskDetails.details.tasks[]) with its own row counts, and their totals. */
    private static void recordSubtasks(Run run, JsonNode status) {
        List<Map<String, Object>> subtasks = new ArrayList<>();
        long processed = 0;
        long errored = 0;
        for (JsonNode task : status.path("subtaskDetails").path("details").path("tasks")) {
            Map<String, Object> one = new LinkedHashMap<>();
            for (String[] field : new String[][] {{"name", "assetName"}, {"type", "assetType"}, {"runId", "runId"}, {"status", "status"},
                    {"location", "location"}, {"errorMessage", "errorMessage"}}) {
                if (task.hasNonNull(field[1]) && !task.get(field[1]).asText().isBlank()) {
                    one.put(field[0], task.get(field[1]).asText());
                }
            }
            for (String rows : new String[] {"rowsProcessed", "erroredRows"}) {
                if (task.path(rows).canConvertToLong()) {
                    one.put(rows, task.get(rows).asLong());
                }
            }
            processed += ((Number) one.getOrDefault("rowsProcessed", 0L)).longValue();
            errored += ((Number) one.getOrDefault("erroredRows", 0L)).longValue();
            subtasks.add(one);
        }
        if (!subtasks.isEmpty()) {
            run.count("subtasks", subtasks);
            run.count("rowsProcessed", processed);
            run.count("erroredRows", errored);
        }
    }

    // ---- 3. outcome ----------------------------------------------------------------------------------------------------

    /** SUCCESS succeeds; FAILED, and SUSPENDED unless -p suspended=wait, fail with IICS's errorMessage. */
    public void finish(Exchange e) {
        Run run = run(e);
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        String what = "IICS taskflow " + taskflow(run) + " run " + runId(run);
        String message = remote.message() == null ? "" : ": " + remote.message();
        switch (remote.state()) {
            case SUCCEEDED -> {
            }
            case STOPPED -> throw new RunFailure(ErrorKind.REMOTE_JOB, "taskflow status", remote.vendorStatus(), what
                    + " was stopped in IICS" + message, Outcome.STOPPED, null);
            default -> {
                String code = IicsJobState.vendorCode(remote.message());
                throw new RunFailure(ErrorKind.REMOTE_JOB, "taskflow status", code == null ? remote.vendorStatus() : code,
                        IicsTaskflowState.SUSPENDED.equals(remote.vendorStatus())
                                ? what + " is SUSPENDED (paused on a fault" + message + "); it was left as it is: resume or terminate it "
                                + "in IICS Monitor (-p suspended=wait keeps following a suspended run until it is resumed)"
                                : what + " failed (" + remote.vendorStatus() + ")" + message);
            }
        }
    }

    // ---- stop = terminate ----------------------------------------------------------------------------------------------

    /** PUT /active-bpel/services/tf/terminate {"runid": [RunId]}; the stop is then confirmed through the status. */
    public void stopRequest(Exchange e) {
        Run run = run(e);
        if (run.remoteId(RUN_ID) == null) {
            throw new UsageException("run " + run.runId() + " has no IICS taskflow RunId recorded: its taskflow was never started, "
                    + "nothing to stop");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("runid").add(run.remoteId(RUN_ID));
        call(e, VendorRequest.json(VENDOR, "terminate taskflow", "PUT", TERMINATE, Json.write(body)));
    }

    /** The terminate answer's shape is UNCONFIRMED: its text is kept for the description, and the status decides. */
    public void stopAccepted(Exchange e) {
        Run run = run(e);
        ledger.stepDone(run, "stop-requested");
        String text = response(e).text();
        e.setProperty(STOP_ANSWER, text == null || text.isBlank() ? "HTTP " + response(e).status() : Secrets.scrub(response(e).snippet()));
        e.setProperty(PollPolicy.DEADLINE, clock.instant().plus(stopConfirmTimeout));
        e.removeProperty(LAST_STATUS);
    }

    /** Says what the terminate did ({@code stopDescription}), from the status the confirmation read last. */
    public void stopConfirmed(Exchange e) {
        Run run = run(e);
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        String answer = "IICS answered the terminate of taskflow " + taskflow(run) + " run " + runId(run) + " with '"
                + e.getProperty(STOP_ANSWER, String.class) + "'";
        String description;
        if (e.getProperty(LAST_STATUS) == null || remote == null || !remote.isTerminal()) {
            String error = e.getProperty(RunExchange.STOP_CONFIRM_ERROR, String.class);
            description = answer + ", but the status resource did not show the run as ended within "
                    + Durations.format(stopConfirmTimeout) + (error == null ? "" : " (" + Secrets.scrub(error) + ")")
                    + "; check it in IICS Monitor";
        } else if (remote.state() == RemoteState.STOPPED || remote.state() == RemoteState.FAILED) {
            description = answer + "; the status resource shows it ended " + remote.vendorStatus()
                    + (remote.message() == null ? "" : " (" + remote.message() + ")");
        } else {
            description = answer + ", but the status resource shows it had already ended " + remote.vendorStatus();
        }
        RunExchange.describeStop(e, description);
        e.removeProperty(RunExchange.STOP_CONFIRM_ERROR);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------------

    private static String taskflow(Run run) {
        return run.param("taskflow").trim();
    }

    private static String runId(Run run) {
        return run.remoteId(RUN_ID);
    }

    /** One path segment, percent-encoded (an API name is letters, digits, - and _, but it is the user's text). */
    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
