package io.jobpilot.oneintegrate;

import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;

import java.util.Locale;
import java.util.Set;

/**
 * Maps 1Integrate's session status words. Only "Paused" and "Finished" are documented; the running and failure words
 * are not, so any casing and spacing is accepted and unknown words are reported rather than guessed.
 */
public final class OneIntegrateStatus {
    private static final Set<String> RUNNING = Set.of("running", "playing", "queued", "waiting", "notstarted", "starting",
            "rewinding", "pausing", "stopping", "inprogress", "pending", "sessionqueueassigned", "created", "ready");
    private static final Set<String> FAILED = Set.of("error", "failed", "failure", "aborted", "errored", "cancelled", "canceled");
    private static final Set<String> NEVER_RAN = Set.of("notstarted", "created", "ready", "new");
    private static final Set<String> FINISHED = Set.of("finished", "complete", "completed");

    private OneIntegrateStatus() {
    }

    /**
     * @param pausedMeansDone true: Paused is the end (results are read); false: Paused means "play again"
     */
    public static RemoteStatus map(String status, String message, boolean pausedMeansDone) {
        String word = word(status);
        RemoteState state;
        if (FINISHED.contains(word)) {
            state = RemoteState.SUCCEEDED;
        } else if (word.equals("paused")) {
            state = pausedMeansDone ? RemoteState.SUCCEEDED : RemoteState.RUNNING;
        } else if (FAILED.contains(word)) {
            state = RemoteState.FAILED;
        } else if (word.equals("stopped")) {
            state = RemoteState.STOPPED;
        } else if (RUNNING.contains(word)) {
            state = RemoteState.RUNNING;
        } else {
            state = RemoteState.UNKNOWN;
        }
        return new RemoteStatus(state, status == null ? "(none)" : status, message);
    }

    /** A session that has not run since it was created: no results yet (404), or a not-started/created/ready word. */
    public static boolean neverRan(String status) {
        String word = word(status);
        return status == null || status.equals(OneIntegrateApi.NEVER_RAN) || NEVER_RAN.contains(word);
    }

    private static String word(String status) {
        return status == null ? "" : status.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }

    public static boolean isPaused(String status) {
        return status != null && status.trim().equalsIgnoreCase("paused");
    }
}
