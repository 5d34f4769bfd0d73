package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

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
            if (run.phase().equals("QUEUED") && !run.task.queuedInLog) {    // newer pods list queued runs too
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

    /** Entries of ended runs (and, for a task scripted so, state 4 while queued); with runId, taskId is required (newer docs). */
    void log(SimRequest r) throws IOException {
        String runId = r.query("runId");
        String taskId = r.query("taskId");
        if (runId != null && taskId == null) {
            error(r, true, 403, "APP_13401", "Wrong parameter value: taskId is required with runId");
            return;
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (SimRun run : jobs.runs()) {
            if (taskId != null && !run.task.taskId.equals(taskId) || runId != null && run.runId != Long.parseLong(runId)) {
                continue;
            }
            if (runId != null) {
                jobs.observe(run);
            }
            String phase = run.phase();
            if (phase.equals("ENDED")) {
                list.add(logEntry(run));
            } else if (phase.equals("QUEUED") && run.task.queuedInLog) {
                list.add(queuedEntry(run));
            }
        }
        r.json(200, Json.write(list));
    }

    /**
     * An entry as real ones are (vendor-apis-more.md §d): no isStopped; a stopped run is state 3 with "stopped by user ...
     * using the API/UI"; states 1 and 2 have their message only in entries[0].errorMsg, state 3 in both places. A
     * linear taskflow's (WORKFLOW) child entry is its task, with an id of its own.
     */
    private static ObjectNode logEntry(SimRun run) {
        TaskScript t = run.task;
        int state = run.stopped ? 3 : t.state;
        String message = run.stopped ? "The job was stopped by user " + USER + " using the " + run.stoppedThrough + "." : t.errorMsg;
        long failedTargetRows = run.stopped ? 0 : t.failedTargetRows;
        Instant end = run.ended == null ? Instant.now() : run.ended;
        ObjectNode e = entry(run, run.logId, t.type, state, failedTargetRows).put("endTime", EASTERN.format(end))
                .put("endTimeUtc", end.toString());
        if (state == 3) {
            e.put("errorMsg", message);
        }
        ObjectNode child = entry(run, childId(run), t.type.equals("WORKFLOW") ? "MTT" : t.type, state, failedTargetRows)
                .put("errorMsg", message);
        child.putArray("entries");
        e.putArray("entries").add(child);
        e.putArray("transformationEntries");
        return e;
    }

    /** GET activityLog/{id}: the one entry of an ended run. */
    void logEntry(SimRequest r, String entryId) throws IOException {
        SimRun run = ended(entryId);
        if (run == null) {
            error(r, true, 403, "APP_13401", "Wrong parameter value id");      // as IICS answers an unknown id (vendor-apis.md §3)
            return;
        }
        r.json(200, Json.write(logEntry(run)));
    }

    /** A run still queued, as state 4 (the Airflow hook's reading; no real entry of it was seen). */
    private static ObjectNode queuedEntry(SimRun run) {
        ObjectNode e = entry(run, run.logId, run.task.type, 4, 0).putNull("endTime").putNull("endTimeUtc");
        e.putArray("entries");
        return e;
    }

    private static ObjectNode entry(SimRun run, String id, String type, int state, long failedTargetRows) {
        TaskScript t = run.task;
        return Json.MAPPER.createObjectNode().put("@type", "activityLogEntry").put("id", id).put("type", type)
                .put("objectId", t.taskId).put("objectName", t.name).put("runId", run.runId).put("agentId", "01000008000000000002")
                .put("runtimeEnvironmentId", "01000025000000000002")
                .put("startTime", EASTERN.format(run.started)).put("startTimeUtc", run.started.toString())
                .put("state", state).put("failedSourceRows", 0).put("successSourceRows", t.successTargetRows)
                .put("failedTargetRows", failedTargetRows).put("successTargetRows", t.successTargetRows)
                .put("startedBy", USER).put("runContextType", "REST_API_V2").putNull("scheduleName");
    }

    static String childId(SimRun run) {
        return run.logId.substring(0, 18) + "C1";
    }

    /**
     * GET activityLog/{id}/sessionLog: a task's session log as plain text; a child of a linear taskflow
     * ({@code ?itemId=<child id>}) as a ZIP holding {@code MTT/s_mtt_<name>.log}, as real IICS answers.
     */
    void sessionLog(SimRequest r, String entryId) throws IOException {
        SimRun run = ended(entryId);
        if (run == null || !run.task.sessionLogs) {
            error(r, true, 404, "APP_13411", "Session log not found for activity log entry " + entryId + ".");
            return;
        }
        String text = sessionLogText(run);
        String itemId = r.query("itemId");
        String file = "s_mtt_" + run.task.name.replaceAll("\\W+", "_");
        if (itemId == null) {          // a client (infapy) takes the file name from Content-Disposition, and needs it
            r.send(200, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8), attachment(file + ".log"));
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("MTT/" + file + ".log"));
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        r.send(200, "application/zip;charset=UTF-8", bytes.toByteArray(), attachment(file + ".zip"));
    }

    private static Map<String, String> attachment(String fileName) {
        return Map.of("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    }

    /** GET errorLog/{id}: the rejected rows as text (IICS's answer is not JSON); empty for a run without any. */
    void errorLog(SimRequest r, String entryId) throws IOException {
        SimRun run = ended(entryId);
        if (run == null) {
            error(r, true, 404, "APP_13411", "Error log not found for activity log entry " + entryId + ".");
            return;
        }
        StringBuilder rows = new StringBuilder();
        long failed = run.stopped ? 0 : run.task.failedTargetRows;
        if (failed > 0) {
            rows.append("\"Error Message\",\"ID\"\n");
            for (long i = 1; i <= failed; i++) {
                rows.append("\"ORA-00001: unique constraint violated\",\"").append(i).append("\"\n");
            }
        }
        r.send(200, "text/plain;charset=UTF-8", rows.toString().getBytes(StandardCharsets.UTF_8),
                attachment(run.runId + "_" + run.task.name.replaceAll("\\W+", "_") + ".error.csv"));
    }

    private SimRun ended(String entryId) {
        return jobs.runs().stream().filter(x -> x.logId.equals(entryId) && x.phase().equals("ENDED")).findFirst().orElse(null);
    }

    private static String sessionLogText(SimRun run) {
        String start = EASTERN.format(run.started);
        return start + " **** Importing Connection: Sandbox Oracle ...\n"
                + (run.parameterFile == null ? "" : start + " Parameter file: " + run.parameterFile + "\n")
                + start + " <MAPPING> TM_6014 Initializing session [s_mtt_" + run.task.name + "]\n"
                + (run.stopped ? start + " TM_6116 The session was stopped by user " + USER + "\n"
                : run.task.state == 1 ? "" : start + " " + run.task.errorMsg + "\n")
                + start + " <MAPPING> TM_6020 Session [s_mtt_" + run.task.name + "] completed\n";
    }
}
