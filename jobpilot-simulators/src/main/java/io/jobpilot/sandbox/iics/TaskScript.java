package io.jobpilot.sandbox.iics;

/**
 * A simulated IICS task and how each of its runs behaves: observations (activity monitor or activity log reads)
 * spent queued in neither list, then listed RUNNING in the activity monitor, then in neither again (just ended),
 * then the activity-log entry with {@code state} 1, 2 or 3. runIds count per task from {@link #firstRunId}.
 */
public final class TaskScript {
    final String taskId;
    String name;
    String federatedId;
    /** Where it is in the organisation: Project/Folder/Name. */
    String path;
    String type = "MTT";
    long nextRunId = 1;
    int queuedPolls = 1;
    int runningPolls = 2;
    int gapPolls = 1;
    int state = 1;
    String errorMsg = "No errors encountered.";
    long failedTargetRows;
    long successTargetRows = 1000;
    /** Every session stops working just before this activity-monitor read (-1: never). */
    int expireSessionsAtPoll = -1;
    /** How many times the callback is delivered when the run has a callbackURL. */
    int callbackTimes = 1;
    /** Someone stops each run in IICS Monitor once it has run (state 3, "... using the UI."). */
    boolean stoppedInUi;
    /** While queued, the activity log lists the run with state 4 (as the Airflow hook reads it), the monitor not at all. */
    boolean queuedInLog;
    /** IICS has the runs' session logs (false: they are not there, as when a log was purged). */
    boolean sessionLogs = true;
    /** Never ends by itself (only a stop ends it). */
    volatile boolean runsForever;

    private TaskScript(String taskId) {
        this.taskId = taskId;
        this.name = "Task " + taskId;
        this.federatedId = "fed" + taskId;
        this.path = "Default/" + name;
    }

    public String taskId() {
        return taskId;
    }

    public static TaskScript create(String taskId) {
        return new TaskScript(taskId);
    }

    public TaskScript name(String n) {
        name = n;
        return this;
    }

    public String path() {
        return path;
    }

    /** Its path for the lookup (set it before registering the task with the simulator). */
    public TaskScript path(String p) {
        path = p;
        return this;
    }

    public TaskScript federatedId(String id) {
        federatedId = id;
        return this;
    }

    public TaskScript type(String t) {
        type = t;
        return this;
    }

    /** runIds are a per-task counter: two tasks can hand out the same runId. */
    public TaskScript firstRunId(long id) {
        nextRunId = id;
        return this;
    }

    public TaskScript phases(int queued, int running, int gap) {
        queuedPolls = queued;
        runningPolls = running;
        gapPolls = gap;
        return this;
    }

    /** 1 success, 2 completed with row errors, 3 failed. */
    public TaskScript endsWith(int activityState, String message) {
        state = activityState;
        errorMsg = message;
        if (activityState == 2 && failedTargetRows == 0) {
            failedTargetRows = 4;
        }
        return this;
    }

    public TaskScript expireSessionsAtPoll(int n) {
        expireSessionsAtPoll = n;
        return this;
    }

    public TaskScript callbackTimes(int n) {
        callbackTimes = n;
        return this;
    }

    public TaskScript stoppedInUi() {
        stoppedInUi = true;
        return this;
    }

    public TaskScript queuedInLog() {
        queuedInLog = true;
        return this;
    }

    public TaskScript withoutSessionLogs() {
        sessionLogs = false;
        return this;
    }

    public TaskScript runsForever() {
        runsForever = true;
        return this;
    }

    /** A task that {@link #runsForever()} ends at its next status poll: a test decides when, not a clock. */
    public TaskScript finish() {
        runsForever = false;
        return this;
    }
}
