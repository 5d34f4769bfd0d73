package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;

import java.util.Locale;
import java.util.Set;

/**
 * Maps an export (or import) job's {@code status.state}: SUCCESSFUL is done (and SUCCESS, the import docs' word);
 * IN_PROGRESS, NOT_STARTED and QUEUED are running; anything else is a failure (the failure token itself is
 * undocumented). {@code status.message} is only carried along for the user: its wording varies, so it is never
 * matched on.
 */
public final class IicsExportStatus {
    public static final String SUCCESSFUL = "SUCCESSFUL";
    private static final Set<String> SUCCEEDED = Set.of(SUCCESSFUL, "SUCCESS");
    private static final Set<String> RUNNING = Set.of("IN_PROGRESS", "NOT_STARTED", "QUEUED");

    private IicsExportStatus() {
    }

    public static RemoteStatus map(String state, String message) {
        String word = normalise(state);
        RemoteState mapped = SUCCEEDED.contains(word) ? RemoteState.SUCCEEDED
                : RUNNING.contains(word) ? RemoteState.RUNNING
                : RemoteState.FAILED;
        return new RemoteStatus(mapped, state == null ? "(none)" : state, message);
    }

    /** The job's {@code status} in an answer of the v3 export or import resource ({@code what} names it in errors). */
    static RemoteStatus read(VendorResponse r, String what) {
        JsonNode status = r.json().path("status");
        if (!status.path("state").isValueNode()) {
            throw r.malformed(what + " without status.state: " + r.snippet());
        }
        return map(status.get("state").asText(), status.path("message").asText(null));
    }

    /** "In Progress", "in_progress" and "IN PROGRESS" are the same word. */
    static String normalise(String state) {
        return state == null ? "" : state.trim().toUpperCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
    }

    public static boolean isSuccessful(String state) {
        return SUCCEEDED.contains(normalise(state));
    }
}
