package io.jobpilot.http;

import io.jobpilot.run.TransientFailure;

import java.time.Duration;

/** 5xx or 429: worth trying again, after {@link #retryAfter()} when the vendor said so. */
public class TransientHttpException extends TransientFailure {
    private final int status;

    public TransientHttpException(String step, int status, Duration retryAfter, String message) {
        super(step, String.valueOf(status), retryAfter, message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
