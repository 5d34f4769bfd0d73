package io.jobpilot.run;

/** How a run ended, with the contract's exit code (2, usage error, is not an outcome). */
public enum Outcome {
    SUCCEEDED(0), WARNING(1), FAILED(3), TIMED_OUT(4), STOPPED(5), RUNNING(6), START_FAILED(7);

    public static final int USAGE_EXIT_CODE = 2;

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** True when nothing more will happen remotely for this run; RUNNING and TIMED_OUT runs can be resumed. */
    public boolean isFinal() {
        return this != RUNNING && this != TIMED_OUT;
    }
}
