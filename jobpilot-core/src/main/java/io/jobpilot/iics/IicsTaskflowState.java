package io.jobpilot.iics;

import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;

import java.util.Locale;

/**
 * Maps the {@code status} of a taskflow run (shared/reference/vendor-apis-more.md a): {@code RUNNING}, {@code SUCCESS},
 * {@code FAILED} and {@code SUSPENDED} are the words real clients handle. A run just started may answer without a
 * status: it is running. {@code SUSPENDED} is a run paused on a fault that can be resumed in IICS: a failure, or with
 * {@code -p suspended=wait} still running. How IICS reports a terminated run is UNCONFIRMED ({@code FAILED} or
 * {@code STOPPED}): {@code STOPPED} is taken as stopped; any other word is unknown rather than guessed.
 */
public final class IicsTaskflowState {
    public static final String SUSPENDED = "SUSPENDED";

    private IicsTaskflowState() {
    }

    /**
     * @param status         the answer's {@code status}, or null when absent
     * @param errorMessage   the answer's {@code errorMessage}, or null
     * @param suspendedWaits true with {@code -p suspended=wait}
     */
    public static RemoteStatus map(String status, String errorMessage, boolean suspendedWaits) {
        String message = errorMessage == null || errorMessage.isBlank() ? null : errorMessage.trim();
        if (status == null || status.isBlank()) {
            return new RemoteStatus(RemoteState.RUNNING, "(no status yet)", null);
        }
        String word = status.trim().toUpperCase(Locale.ROOT);
        RemoteState state = switch (word) {
            case "RUNNING" -> RemoteState.RUNNING;
            case "SUCCESS" -> RemoteState.SUCCEEDED;
            case "FAILED" -> RemoteState.FAILED;
            case SUSPENDED -> suspendedWaits ? RemoteState.RUNNING : RemoteState.FAILED;
            case "STOPPED" -> RemoteState.STOPPED;
            default -> RemoteState.UNKNOWN;
        };
        return new RemoteStatus(state, word, message);
    }
}
