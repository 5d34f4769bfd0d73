package io.jobpilot.run;

/**
 * A call the vendor acts on (a PUT that creates, a play, a job start, a batch), by the two ledger steps that bracket it:
 * {@code sent} is recorded before the request goes out, {@code answered} once its answer is recorded. A run that has
 * the first and not the second was interrupted while the vendor may have acted: it must reconcile, never resend.
 * {@code step} is the request's step name (its {@code VendorRequest.step()}), so retries can tell the start from the
 * calls around it. Each vendor bean owns its starts as constants, so routes and Java cannot disagree on a marker.
 */
public record RemoteStart(String sent, String answered, String step, String what) {
    private static final String SENT = "-sent";

    public RemoteStart {
        if (!sent.endsWith(SENT)) {
            throw new IllegalArgumentException("a start's intent step must end with " + SENT + ": " + sent);
        }
    }

    /** A step that records a start's intent (what --restart-start takes back). */
    public static boolean isIntent(String step) {
        return step.endsWith(SENT);
    }

    public boolean unanswered(Run run) {
        return run.done(sent) && !run.done(answered);
    }

    public boolean needed(Run run) {
        return !run.done(sent) && !run.done(answered);
    }
}
