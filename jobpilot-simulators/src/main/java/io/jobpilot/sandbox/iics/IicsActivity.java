package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import static io.jobpilot.sandbox.iics.IicsAnswers.error;
import static io.jobpilot.sandbox.iics.IicsSimulator.USER;

/** The activity monitor (running runs, other tasks' runs with the same runIds included) and the activity log. */
final class IicsActivity {
    private static final DateTimeFormatter EASTERN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneId.of("America/New_York"));

    private final IicsJobs jobs;
    private final IicsSessions sessions;

    IicsActivity(IicsJobs jobs, IicsSessions sessions) {
        this.jobs = jobs;
        this.sessions = sessions;
    }

    /** Every running run of the organisation, other tasks' runs (with the same runIds) included. */
    void monitor(SimRequest r) throws IOException {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (SimRun run : jobs.runs()) {
            synchronized (run) {
                if (run.phase().equals("ENDED")) {
                    continue;
                }
                run.monitorReads++;
                if (run.monitorReads == run.task.expireSessionsAtPoll) {
                    sessions.expireAll();
                    run.task.expireSessionsAtPoll = -1;
                    IicsAnswers.invalidSession(r, true);
                    return;
                }
            }
            jobs.observe(run);
            if (run.phase().equals("QUEUED")) {         // newer pods list queued runs too
                list.add(monitorEntry(run.task.taskId, run.task.name, run.runId, run.started).put("executionState", "QUEUED"));
            } else if (run.phase().equals("RUNNING")) {
                list.add(monitorEntry(run.task.taskId, run.task.name, run.runId, run.started));
                list.add(monitorEntry("0100000Z00000000OTHR", "Someone else's task", run.runId, run.started));
            }
        }
        r.json(200, Json.write(list));
    }

    private static ObjectNode monitorEntry(String taskId, String name, long runId, Instant started) {
        return Json.MAPPER.createObjectNode().put("@type", "activityMonitoryEntry").put("id", taskId + "-" + runId).put("type", "MTT")
                .put("taskId", taskId).put("taskName", name).put("objectName", name).put("runId", runId)
                .put("startTime", started.toString()).putNull("endTime").put("executionState", "RUNNING")
                .put("failedSourceRows", 0).put("successSourceRows", 10).put("failedTargetRows", 0).put("successTargetRows", 10)
                .put("startedBy", USER).put("runContextType", "REST_API_V2");
    }

    /** Entries of ended runs; with runId, taskId is required (newer docs). */
    void log(SimRequest r) throws IOException {
        String runId = r.query("runId");
        String taskId = r.query("taskId");
        if (runId != null && taskId == null) {
            error(r, true, 403, "APP_13401", "Wrong parameter value: taskId is required with runId");
            return;
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (SimRun run : jobs.runs()) {
            if (runId != null && (!run.task.taskId.equals(taskId) || run.runId != Long.parseLong(runId))) {
                continue;
            }
            if (runId != null) {
                jobs.observe(run);
            }
            if (run.phase().equals("ENDED")) {
                list.add(logEntry(run));
            }
        }
        r.json(200, Json.write(list));
    }

    private static ObjectNode logEntry(SimRun run) {
        TaskScript t = run.task;
        int state = run.stopped ? 3 : t.state;
        Instant end = run.ended == null ? Instant.now() : run.ended;
        ObjectNode e = Json.MAPPER.createObjectNode().put("@type", "activityLogEntry").put("id", run.logId).put("type", t.type)
                .put("objectId", t.taskId).put("objectName", t.name).put("runId", run.runId).put("agentId", "01000008000000000002")
                .put("runtimeEnvironmentId", "01000025000000000002")
                .put("startTime", EASTERN.format(run.started)).put("endTime", EASTERN.format(end))
                .put("startTimeUtc", run.started.toString()).put("endTimeUtc", end.toString())
                .put("state", state).put("failedSourceRows", 0).put("successSourceRows", t.successTargetRows)
                .put("failedTargetRows", run.stopped ? 0 : t.failedTargetRows).put("successTargetRows", t.successTargetRows)
                .put("errorMsg", run.stopped ? "The job was stopped by user " + USER + " using the API." : t.errorMsg)
                .put("startedBy", USER).put("runContextType", "REST_API_V2").putNull("scheduleName").put("isStopped", run.stopped);
        e.putArray("entries");
        e.putArray("transformationEntries");
        return e;
    }
}
