package io.jobpilot.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The runs this process follows, and its lease on each: taken when a run is opened (the INSERT of a new run, or one
 * conditional UPDATE for an existing one), renewed by a small scheduled renewer (one UPDATE of this process's own
 * lease per tick, and one read of which runs it still holds), released at the run's end or on a clean exit. A run
 * another process took over (this one was presumed gone) is noticed at the next renewal: it is marked lost, and this
 * process stops following it without writing anything more.
 */
public final class RunLeases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLeases.class);
    private final RunHolders ownership;
    private final RunOwner me;
    private final Duration lease;
    private final Duration renewal;
    private final Progress progress;
    private final Map<String, Run> followed = new ConcurrentHashMap<>();
    /** Runs left unended whose release the ledger refused: released again at each renewal until it takes it. */
    private final Set<String> toRelease = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService renewer;
    private boolean closed;

    public RunLeases(RunHolders ownership, RunOwner me, Duration lease, Duration renewal, Progress progress) {
        this.ownership = ownership;
        this.me = me;
        this.lease = lease;
        this.renewal = renewal;
        this.progress = progress;
    }

    public RunOwner owner() {
        return me;
    }

    /** The lease end for a run taken or renewed now. */
    public Instant leaseUntil() {
        return Instant.now().plus(lease);
    }

    /** Who a new command-line (or embedded) run is held by: this process, from its INSERT on. */
    public RunOrigin cli() {
        return RunOrigin.cli(me, leaseUntil());
    }

    /**
     * Takes an existing unfinished run for this process, and follows it. It may be taken when nobody holds it (never
     * held, released, lease lapsed), when its owner was a process on this host that no longer exists, or when this
     * process holds it already (a serve node that has just adopted it); one this process released is taken again.
     * Otherwise {@link RunOwnedElsewhere}.
     */
    public void take(Run run) {
        RunHolder seen = ownership.holder(run.runId()).orElseThrow(() -> new UsageException("no run '" + run.runId() + "' in the ledger"));
        if (!seen.isOwnedBy(me) || seen.leaseUntil() == null) {     // not ours, or ours and released (see abandon)
            boolean free = seen.isFree(Instant.now());
            if (!free && !seen.owner().isGoneFrom(me)) {
                throw new RunOwnedElsewhere(seen.describe());
            }
            if (!ownership.take(seen, me, leaseUntil(), free)) {
                throw lostRace(run.runId());
            }
            if (!free) {
                progress.say(run, "taking over from " + seen.owner().describe() + ", which no longer exists");
            } else if (seen.owner() != null && seen.leaseUntil() != null) {
                progress.say(run, "taking over from " + seen.owner().describe() + ", whose lease lapsed at " + seen.leaseUntil());
            }
        }
        follow(run);
    }

    /** Another process changed the owner between our look and our UPDATE: name it (or say the run has just ended). */
    private UsageException lostRace(String runId) {
        RunHolder now = ownership.holder(runId).orElse(null);
        if (now == null || now.owner() == null || (now.outcome() != null && Outcome.valueOf(now.outcome()).isFinal())) {
            return new UsageException("run " + runId + " has just ended" + (now == null || now.outcome() == null ? ""
                    : " " + now.outcome()) + " (jobpilot show " + runId + ")");
        }
        return new RunOwnedElsewhere(now.describe());
    }

    /** A run this process holds (it inserted it, or took it): renewed from now on. */
    public synchronized void follow(Run run) {
        run.heldUntil(leaseUntil(), () -> confirm(run));
        followed.put(run.runId(), run);
        if (renewer == null && !closed) {          // once closing, a late run's lease just lapses
            renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jobpilot-lease");
                t.setDaemon(true);
                return t;
            });
            renewer.scheduleAtFixedRate(this::renew, renewal.toMillis(), renewal.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The run ended (its end released the lease) or was lost: no more renewals for it. */
    public void unfollow(Run run) {
        followed.remove(run.runId(), run);
    }

    /**
     * The run's exchange ended without its end recorded (the ledger refused the write, say): this process no longer
     * follows it, and its lease is released now, so that it is resumed (adopted by a serve node, or by `jobpilot resume`)
     * instead of being held unended for as long as this process renews its own lease.
     */
    public void abandon(Run run) {
        if (followed.remove(run.runId(), run)) {
            toRelease.add(run.runId());
            releaseAbandoned();
        }
    }

    private void releaseAbandoned() {
        for (String runId : toRelease) {
            try {
                ownership.release(me, runId);
                toRelease.remove(runId);
                LOG.warn("run {} stopped without its end recorded; released, so that the next adoption scan of a serve node (or "
                        + "`jobpilot resume {}`) resumes it from its recorded steps", runId, runId);
            } catch (RuntimeException e) {
                LOG.warn("could not release run {}, which stopped without its end recorded (tried again at the next "
                        + "renewal): {}", runId, e.getMessage());
            }
        }
    }

    /** The owner to fence the run's end with: this process when it follows the run (a `jobpilot stop` does not). */
    public RunOwner fence(Run run) {
        return followed.get(run.runId()) == run ? me : null;
    }

    /**
     * Before the run's end is written: true when this process still holds the run unended (or does not follow it at
     * all, as `jobpilot stop`); else the run is marked lost.
     */
    public boolean stillHolds(Run run) {
        if (fence(run) == null) {
            return true;
        }
        RunHolder now = ownership.holder(run.runId()).orElse(null);
        if (now != null && now.isOwnedBy(me) && now.outcome() == null) {
            return true;
        }
        lost(run);
        return false;
    }

    /**
     * One renewal tick: this process's lease is renewed, then the runs it follows are looked for among those it still
     * holds; one that is missing is asked on its own, and given up when it was taken over (or ended) meanwhile.
     */
    void renew() {
        releaseAbandoned();
        if (followed.isEmpty()) {
            return;
        }
        try {
            List<Run> following = List.copyOf(followed.values());   // before the read: each is in the ledger already
            Instant until = leaseUntil();
            ownership.renewOwner(me, until);
            Set<String> held = ownership.held(me);
            for (Run run : following) {
                if (held.contains(run.runId())) {
                    run.heldUntil(until, () -> confirm(run));
                } else {
                    confirm(run);     // asked on its own: it may have ended, or been taken over
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not renew the lease on {} run(s) (another process may take them over once it lapses): {}",
                    followed.size(), e.getMessage());
        }
    }

    /** The lease this process last renewed on the run has lapsed: renew it now, or learn that the run was taken over. */
    private boolean confirm(Run run) {
        Instant until = leaseUntil();
        try {
            if (ownership.renew(me, run.runId(), until)) {
                run.heldUntil(until, () -> confirm(run));
                return true;
            }
        } catch (RuntimeException e) {
            LOG.warn("could not confirm this process still holds run {}: {}", run.runId(), e.getMessage());
            return true;    // the ledger's own fence (the owner in every end) still stands
        }
        lost(run);
        return false;
    }

    /** Marks the run lost, once (the renewer and the run's own thread may both find out), saying who has it now. */
    private void lost(Run run) {
        synchronized (run) {
            if (run.isLost()) {
                return;
            }
            RunHolder now = ownership.holder(run.runId()).orElse(null);
            boolean takenOver = now != null && now.owner() != null && !now.isOwnedBy(me);
            String message = "run " + run.runId() + (takenOver ? " was taken over by " + now.owner().describe()
                    + " while this process was presumed gone" : " was ended by another process (jobpilot stop)")
                    + (now != null && now.outcome() != null ? ", which recorded it " + now.outcome() : "")
                    + "; this process stops following it";
            run.lostTo(message);
            unfollow(run);
            progress.say(run, message);            // stderr on the command line, the log in serve mode
        }
    }

    /** A clean exit: no more renewals, and this process's unfinished runs may be taken at once by the next one. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (renewer != null) {
                renewer.shutdown();    // never interrupted: H2 closes its database when a writing thread is interrupted
            }
        }
        try {
            if (renewer != null) {
                renewer.awaitTermination(5, TimeUnit.SECONDS);
            }
            ownership.release(me);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("could not release the leases of this process (they lapse in {}): {}", lease, e.getMessage());
        }
        followed.clear();
        toRelease.clear();
    }
}
