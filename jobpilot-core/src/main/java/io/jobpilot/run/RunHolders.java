package io.jobpilot.run;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who holds which run, where every process sees it (the ledger's {@code RunOwnership}): what {@link RunLeases} reads
 * and changes. Owned here because the ledger is built on the run model, so the run package cannot depend on it in turn.
 */
public interface RunHolders {
    Optional<RunHolder> holder(String runId);

    /**
     * Takes the run for {@code me} if it is still held as {@code seen} showed it (and, with {@code onlyIfFree}, the
     * lease is still lapsed or released). False when another process changed the owner first.
     */
    boolean take(RunHolder seen, RunOwner me, Instant leaseUntil, boolean onlyIfFree);

    /** Renews {@code me}'s own lease, which holds every run {@code me} holds (one write, however many runs). */
    void renewOwner(RunOwner me, Instant leaseUntil);

    /** The runs {@code me} still holds unended (one it follows that is missing was taken over, ended or released). */
    Set<String> held(RunOwner me);

    /** Renews {@code me}'s lease and answers whether it still holds this run. */
    boolean renew(RunOwner me, String runId, Instant leaseUntil);

    /** On a clean exit: {@code me}'s unfinished runs may be taken at once by the next process that asks. */
    void release(RunOwner me);

    /** One run {@code me} no longer follows, left unended: it may be taken at once (adopted, resumed). */
    void release(RunOwner me, String runId);
}
