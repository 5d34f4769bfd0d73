package io.jobpilot.iics;

import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps an activity-log entry of a finished task run: {@code state} 1 is success, 2 completed with row errors (a
 * warning, or a failure with {@code -p warning=fail}), 3 failed; {@code isStopped} marks a run that was stopped.
 * Any other value is reported as unknown rather than guessed.
 */
public final class IicsJobState {
    private static final String NO_ERRORS = "No errors encountered.";
    private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([A-Z][A-Z0-9]*_\\d+)\\b");

    private IicsJobState() {
    }

    /**
     * @param state        the entry's {@code state}, or null when absent
     * @param warningFails true with {@code -p warning=fail}
     */
    public static RemoteStatus map(Integer state, boolean isStopped, String errorMsg, boolean warningFails) {
        String message = errorMsg == null || errorMsg.isBlank() || errorMsg.trim().equals(NO_ERRORS) ? null : errorMsg.trim();
        String word = "state " + (state == null ? "(none)" : state) + (isStopped ? " (stopped)" : "");
        if (isStopped) {
            return new RemoteStatus(RemoteState.STOPPED, word, message);
        }
        RemoteState mapped;
        if (state == null) {
            mapped = RemoteState.UNKNOWN;
        } else {
            mapped = switch (state) {
                case 1 -> RemoteState.SUCCEEDED;
                case 2 -> warningFails ? RemoteState.FAILED : RemoteState.WARNING;
                case 3 -> RemoteState.FAILED;
                default -> RemoteState.UNKNOWN;
            };
        }
        return new RemoteStatus(mapped, word, message);
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
