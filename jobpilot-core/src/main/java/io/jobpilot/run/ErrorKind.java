package io.jobpilot.run;

/** Coarse classes of failure, as they appear in run.json's error.kind. */
public enum ErrorKind {
    /** Bad parameters or configuration. */
    USAGE,
    /** Credentials rejected. */
    AUTHENTICATION,
    /** The vendor refused a request (4xx with its own code and message). */
    VENDOR,
    /** The remote job itself ended in failure; message is the vendor's text. */
    REMOTE_JOB,
    /** 5xx, 429, connection trouble that outlasted the retries or the deadline. */
    TRANSIENT,
    /** The vendor answered something that is not what its API documents (malformed JSON, HTML page). */
    PROTOCOL,
    /**
     * A start call may have reached the vendor (its answer was lost, or the process died while it was in flight) and
     * the vendor could not tell whether it acted on it: nothing is sent again until the user says so
     * ({@code jobpilot resume RUN_ID --restart-start}).
     */
    UNCERTAIN_START,
    /** The deadline passed. */
    TIMEOUT,
    /** Local disk or database trouble. */
    LOCAL,
    /** A bug in jobpilot. */
    INTERNAL
}
