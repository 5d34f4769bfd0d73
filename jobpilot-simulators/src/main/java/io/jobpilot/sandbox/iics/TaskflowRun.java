package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One run of a taskflow: it moves one phase along each time its status is read. */
final class TaskflowRun {
    final TaskflowScript script;
    final String runId;
    final JsonNode inputs;
    final Instant started = Instant.now();
    int reads;
    /** The read at which it was resumed after a suspension (-1: not resumed). */
    int resumedAt = -1;
    boolean terminated;
    Instant ended;

    TaskflowRun(TaskflowScript script, String runId, JsonNode inputs) {
        this.script = script;
        this.runId = runId;
        this.inputs = inputs;
    }

    /** null (no status yet), RUNNING, SUSPENDED, or the end status. */
    synchronized String status() {
        if (terminated) {
            return "FAILED";
        }
        TaskflowScript s = script;
        if (reads < s.noStatusReads) {
            return null;
        }
        int running = reads - s.noStatusReads;
        if (s.suspendAfter >= 0 && running >= s.suspendAfter) {
            if (resumedAt < 0) {
                return IicsTaskflows.SUSPENDED;
            }
            return reads - resumedAt < 1 ? "RUNNING" : end();
        }
        if (s.runsForever || running < s.runningReads) {
            return "RUNNING";
        }
        return end();
    }

    private String end() {
        if (ended == null) {
            ended = Instant.now();
        }
        return script.endStatus;
    }

    synchronized boolean isActive() {
        String s = status();
        return s == null || s.equals("RUNNING") || s.equals(IicsTaskflows.SUSPENDED);
    }

    synchronized boolean resume() {
        if (!IicsTaskflows.SUSPENDED.equals(status())) {
            return false;
        }
        resumedAt = reads;
        return true;
    }
}
