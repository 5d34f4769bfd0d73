package io.jobpilot.run;

import java.time.Duration;

/**
 * A failure worth trying again, with how long the remote side asked to be left alone: the poll loop waits at least
 * that long before its next check. It lives here, not with the HTTP code that raises it, because the poll loop of every
 * run reads it.
 */
public class TransientFailure extends RunFailure {
    private final Duration retryAfter;

    public TransientFailure(String step, String vendorCode, Duration retryAfter, String message) {
        super(ErrorKind.TRANSIENT, step, vendorCode, message);
        this.retryAfter = retryAfter;
    }

    /** Null when the remote side did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
