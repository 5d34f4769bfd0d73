package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps an activity-log entry of a task run (shared/reference/vendor-apis-more.md §d): {@code state} 1 is success, 2
 * completed with row errors (a warning, or a failure with {@code -p warning=fail}), 3 failed, 4 queued (a waiting state,
 * per the Airflow hook). Real entries have no {@code isStopped}: a stopped run is state 3 with "The job was stopped by
 * user <user> using the API." (or "... using the UI."); {@code isStopped}, where a pod sends it, is read too. For
 * states 1 and 2 the message is only in {@code entries[0].errorMsg}, so that is read when the top level has none.
 * Any other value is reported as unknown rather than guessed.
 */
public final class IicsJobState {
    private static final String NO_ERRORS = "No errors encountered.";
    private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([A-Z][A-Z0-9]*_\\d+)\\b");
    private static final Pattern STOPPED_BY = Pattern.compile("(?i)\\bstopped by user\\b.*\\busing the (API|UI)\\b");
    private static final int QUEUED = 4;

    private IicsJobState() {
    }

    /** @param warningFails true with {@code -p warning=fail} */
    public static RemoteStatus map(JsonNode entry, boolean warningFails) {
        Integer state = entry.path("state").canConvertToInt() ? entry.get("state").asInt() : null;
        String errorMsg = message(entry);
        String message = errorMsg == null || errorMsg.isBlank() || errorMsg.trim().equals(NO_ERRORS) ? null : errorMsg.trim();
        boolean stopped = entry.path("isStopped").asBoolean(false) || state != null && state == 3 && message != null
                && STOPPED_BY.matcher(message).find();
        if (stopped) {
            return new RemoteStatus(RemoteState.STOPPED, "state " + state + " (stopped)", message);
        }
        if (state == null) {
            return new RemoteStatus(RemoteState.UNKNOWN, "state (none)", message);
        }
        RemoteState mapped = switch (state) {
            case 1 -> RemoteState.SUCCEEDED;
            case 2 -> warningFails ? RemoteState.FAILED : RemoteState.WARNING;
            case 3 -> RemoteState.FAILED;
            case QUEUED -> RemoteState.RUNNING;
            default -> RemoteState.UNKNOWN;
        };
        return new RemoteStatus(mapped, "state " + state + (state == QUEUED ? " (queued)" : ""), message);
    }

    /** The top-level errorMsg, else the first child entry's (where states 1 and 2 keep theirs). */
    static String message(JsonNode entry) {
        String top = entry.path("errorMsg").asText(null);
        return top != null && !top.isBlank() ? top : entry.path("entries").path(0).path("errorMsg").asText(null);
    }

    /** The vendor code an error message starts with ("TE_7002 Transformation Parse Fatal Error" gives TE_7002), or null. */
    public static String vendorCode(String errorMsg) {
        if (errorMsg == null) {
            return null;
        }
        Matcher m = LEADING_CODE.matcher(errorMsg);
        return m.find() ? m.group(1) : null;
    }
}
