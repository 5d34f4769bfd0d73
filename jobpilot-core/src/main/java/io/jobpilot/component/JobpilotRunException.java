package io.jobpilot.component;

import io.jobpilot.run.RunResult;

/**
 * A run that ended FAILED, START_FAILED or TIMED_OUT, raised by {@code jobpilot:} with {@code throwOnFailure=true} so
 * the host's onException and redelivery see it. The out body is the RunResult all the same.
 */
public class JobpilotRunException extends RuntimeException {
    private final transient RunResult result;

    public JobpilotRunException(RunResult result) {
        super("jobpilot run " + result.runId() + " (" + result.workflow() + ") ended " + result.outcome()
                + (result.error() != null ? ": " + result.error().message() : ""));
        this.result = result;
    }

    public RunResult result() {
        return result;
    }
}
