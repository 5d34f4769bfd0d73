package io.jobpilot.run;

/** A mistake in what the user asked for: exit 2, no stack trace, nothing sent to any vendor. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
