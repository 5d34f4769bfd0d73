package io.jobpilot.http;

import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;

import java.time.Duration;

/** 5xx or 429: worth trying again, after {@link #retryAfter()} when the vendor said so. */
public class TransientHttpException extends RunFailure {
    private final int status;
    private final Duration retryAfter;

    public TransientHttpException(String step, int status, Duration retryAfter, String message) {
        super(ErrorKind.TRANSIENT, step, String.valueOf(status), message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** Null when the vendor gave no Retry-After. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
