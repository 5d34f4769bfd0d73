package io.jobpilot.run;

/**
 * The states of a run under way, as the ledger stores them (jp_run.state, jp_run_event.state) and `jobpilot runs` and
 * `show` display them: the enum's names are that text. A run that has ended shows its {@link Outcome} instead.
 */
public enum RunState {
    /** Recorded, nothing sent yet (Ledger.insert). */
    PENDING,
    /** The remote job is started (Runs.started). */
    RUNNING,
    /** Left unfinished by a runtime that shut down; the next start resumes it. */
    SUSPENDED,
    /** Taken up again by a resume. */
    RESUMED,
    /** The user asked for an interrupted start to be sent again (--restart-start). */
    RESTARTING,
    /** The remote job has ended; its results are being collected. */
    COLLECTING
}
