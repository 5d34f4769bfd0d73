package io.jobpilot.sandbox.iics;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

/** One run of a task: it moves one phase along each time it is observed (or by time, with a callbackURL). */
final class SimRun {
    final TaskScript task;
    final long runId;
    final String callbackUrl;
    final Instant started = Instant.now();
    final String logId = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    /** The parameter file the start asked for, and where in the body (both forms are taken; which IICS reads is UNCONFIRMED). */
    volatile String parameterFile;
    int observations;
    int monitorReads;
    boolean stopped;
    /** "API" (job/stop) or "UI" (someone in IICS Monitor; scripted with TaskScript.stoppedInUi). */
    String stoppedThrough;
    Instant ended;
    /** Moves a run that has a callbackURL along by time (nobody polls it). */
    volatile ScheduledFuture<?> ticker;

    SimRun(TaskScript task, long runId, String callbackUrl) {
        this.task = task;
        this.runId = runId;
        this.callbackUrl = callbackUrl;
    }

    synchronized String phase() {
        if (stopped) {
            return "ENDED";
        }
        int o = observations;
        if (task.stoppedInUi && o >= task.queuedPolls + task.runningPolls) {
            stopped = true;
            stoppedThrough = "UI";
            return "ENDED";
        }
        if (o < task.queuedPolls) {
            return "QUEUED";
        }
        if (task.runsForever || o < task.queuedPolls + task.runningPolls) {
            return "RUNNING";
        }
        return o < task.queuedPolls + task.runningPolls + task.gapPolls ? "GAP" : "ENDED";
    }
}
