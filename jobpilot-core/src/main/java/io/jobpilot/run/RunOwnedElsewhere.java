package io.jobpilot.run;

/**
 * Another live process follows the run: a second `run --run-id X` or `resume X` exits 2 with this one line, which
 * names the owner, and neither follows the run nor sends anything.
 */
public final class RunOwnedElsewhere extends UsageException {
    public RunOwnedElsewhere(String message) {
        super(message);
    }
}
