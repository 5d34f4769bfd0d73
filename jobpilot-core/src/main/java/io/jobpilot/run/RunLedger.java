package io.jobpilot.run;

import java.util.Optional;

/**
 * The durable record of runs as the run's own code writes and reads it ({@link Runs}, {@link StartIntents}): the
 * ledger implements it. Owned here because the ledger is built on the run model (it stores Run, RunResult, RunOwner),
 * so the run package cannot depend on the ledger in turn.
 */
public interface RunLedger {
    /** The run as recorded, if this id has been recorded. */
    Optional<LedgerRun> find(String runId);

    /**
     * Records the intent to run before anything is sent to a vendor, held by the origin's owner.
     *
     * @throws AlreadyRecorded when another process recorded the same run id a moment before
     */
    void insert(Run run);

    /** A state change, stored as its text, with a one-line detail for `jobpilot show`. */
    void state(Run run, String state, String detail);

    /** A state change (RUNNING, COLLECTING, ...) with a one-line detail for `jobpilot show`. */
    default void state(Run run, RunState state, String detail) {
        state(run, state.name(), detail);
    }

    /** Marks a step with side effects as done, so resume never repeats it. */
    void stepDone(Run run, String step);

    /** Marks a step done with a note that a resumed run reads back ({@link Run#stepRecord}). */
    void stepDone(Run run, String step, String detail);

    /** Takes a step back (the user asked for a start to be sent again): resume will do it once more. */
    void forgetStep(Run run, String step);

    /** A run that ended with an uncertain start is opened again for reconciliation (or, when asked, a new start). */
    void reopen(Run run, String detail);

    /**
     * The run's end by its owner: nothing is written ({@link RunTakenOver}) when {@code owner} no longer holds the run
     * or it has ended meanwhile.
     */
    void finish(Run run, RunOwner owner);

    /** Where the run's latest completion notification stands, when it has one. */
    Optional<Notification> notification(String runId);

    /** The writes {@code writes} makes (on this thread) commit as one, or not at all. */
    void together(Runnable writes);

    /** Another process recorded this run id first: the run is that process's, and is reopened, not recorded again. */
    final class AlreadyRecorded extends RunFailure {
        public AlreadyRecorded(RunFailure duplicate) {
            super(duplicate.kind(), duplicate.step(), duplicate.vendorCode(), duplicate.getMessage(), duplicate.outcome(), duplicate);
        }
    }
}
