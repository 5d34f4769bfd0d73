package io.jobpilot.infolink;

import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;

/**
 * Maps getJobStatus's {@code result.status} (doc L2). Only the terminal words are documented: {@code completed},
 * {@code completedWithError}, {@code stopped}; whatever InfoLink says while a job is queued or running is not, so
 * every other word means "still running" and the run's deadline bounds the wait.
 */
public final class InfoLinkStatus {
    public static final String COMPLETED = "completed";
    public static final String COMPLETED_WITH_ERROR = "completedWithError";
    public static final String STOPPED = "stopped";

    private InfoLinkStatus() {
    }

    public static RemoteStatus map(String status, String message) {
        String word = status == null ? "" : status.trim();
        RemoteState state = word.equalsIgnoreCase(COMPLETED) ? RemoteState.SUCCEEDED
                : word.equalsIgnoreCase(COMPLETED_WITH_ERROR) ? RemoteState.WARNING
                : word.equalsIgnoreCase(STOPPED) ? RemoteState.STOPPED
                : RemoteState.RUNNING;
        return new RemoteStatus(state, word.isEmpty() ? "(none)" : word, message);
    }

    /** The stop call's {@code result.status} says the job cannot be stopped any more (doc L3). */
    public static boolean stopIsFinal(String stopStatus) {
        return stopStatus != null && stopStatus.trim().equalsIgnoreCase("already completed");
    }
}
