package io.jobpilot.run;

/**
 * This process lost a run it followed: another one took it over after presuming this one gone (its lease lapsed, or
 * it looked dead). Thrown instead of any further vendor call or outcome; the run is left to its new owner and this
 * process reports it RUNNING (followed elsewhere).
 */
public final class RunTakenOver extends RunFailure {
    public RunTakenOver(String message) {
        super(ErrorKind.LOCAL, "ownership", null, message, Outcome.RUNNING, null);
    }
}
