package io.jobpilot.run;

/**
 * A failure that ends a run with a known outcome and a message meant for the user: it names the
 * step, the vendor's own code and text, and what to do. Routes let it propagate to the run route.
 */
public class RunFailure extends RuntimeException {
    private final ErrorKind kind;
    private final String step;
    private final String vendorCode;
    private final Outcome outcome;

    public RunFailure(ErrorKind kind, String step, String vendorCode, String message) {
        this(kind, step, vendorCode, message, Outcome.FAILED, null);
    }

    public RunFailure(ErrorKind kind, String step, String vendorCode, String message, Outcome outcome, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.step = step;
        this.vendorCode = vendorCode;
        this.outcome = outcome;
    }

    public ErrorKind kind() {
        return kind;
    }

    public String step() {
        return step;
    }

    public String vendorCode() {
        return vendorCode;
    }

    public Outcome outcome() {
        return outcome;
    }
}
