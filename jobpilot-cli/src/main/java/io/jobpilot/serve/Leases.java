package io.jobpilot.serve;

import io.jobpilot.ledger.RunOwnership;
import io.jobpilot.run.RunHolder;
import io.jobpilot.run.RunLeases;
import io.jobpilot.run.RunOrigin;
import io.jobpilot.run.RunOwner;
import io.jobpilot.run.RunRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;

/**
 * Which node follows which run, for the long-lived runtime. This node holds a lease on each run it follows (renewed by
 * {@link RunLeases}); at start-up, and then every scan, it adopts and resumes unfinished API and schedule runs that
 * nobody follows, never restarting them: runs released or with a lapsed lease, runs whose owner was a process on this
 * host that no longer exists, and, at start-up only, the runs its own node identity held before a restart.
 */
public final class Leases {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    private final RunLeases leases;
    private final RunOwnership ownership;
    private final Launcher launcher;
    private volatile boolean started;

    public Leases(RunLeases leases, RunOwnership ownership, Launcher launcher) {
        this.leases = leases;
        this.ownership = ownership;
        this.launcher = launcher;
    }

    public RunOrigin api() {
        return RunOrigin.api(leases.owner(), leases.leaseUntil());
    }

    public RunOrigin schedule(String name) {
        return RunOrigin.schedule(name, leases.owner(), leases.leaseUntil());
    }

    /** Called on start and then every jobpilot.serve.lease-renewal: adopt and resume what nobody follows. */
    public void adopt() {
        RunOwner me = leases.owner();
        boolean startUp = !started;
        Instant now = Instant.now();
        for (RunHolder seen : ownership.serveRunsNotHeldBy(me, 100)) {
            if (launcher.isBusy(seen.runId())) {
                continue;
            }
            boolean free = seen.isFree(now);
            String why = free ? "nobody follows it"
                    : startUp && wasMine(seen.owner(), me) ? "this node (" + me.node() + ") followed it before its restart"
                    : seen.owner().isGoneFrom(me) ? "its " + seen.owner().describe() + " no longer exists"
                    : null;
            if (why != null && ownership.take(seen, me, leases.leaseUntil(), free)) {
                LOG.info("adopting unfinished run {} ({}); resuming it", seen.runId(), why);
                launcher.launch(seen.runId(), new RunRequest(null, Map.of(), seen.runId(), null, null, null, false, null));
            }
        }
        started = true;
    }

    /**
     * The same node identity, and not a live process on this host other than this one: a second node configured with
     * the same id on this host keeps its runs. (Only at start-up: two live nodes sharing an id must not take runs back
     * and forth.)
     */
    private static boolean wasMine(RunOwner owner, RunOwner me) {
        return me.node() != null && me.node().equals(owner.node()) && (!owner.host().equals(me.host()) || owner.pid() == me.pid());
    }
}
