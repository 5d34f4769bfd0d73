package io.jobpilot.run;

import java.util.Locale;

/** What to do when a run's deadline passes and a final status check still shows it running. */
public enum OnTimeout {
    /** Outcome TIMED_OUT (exit 4); the remote job is left alone and the run can be resumed. */
    FAIL,
    /** Stop the remote job (each workflow says how) and end STOPPED (exit 5). */
    STOP,
    /** Leave it running and end RUNNING (exit 6); resume later. */
    DETACH;

    public static OnTimeout parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--on-timeout must be stop, detach or fail, not '" + text + "'");
        }
    }
}
