package io.jobpilot.serve;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.RunOrigin;
import io.jobpilot.run.RunRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which node follows which run. Each node renews a lease on its runs; a run whose lease lapsed (its node died) or was
 * released (its node shut down cleanly) is adopted and resumed by the next node that looks, never restarted.
 */
public final class Leases {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    private final Ledger ledger;
    private final Launcher launcher;
    private final Duration lease;
    private final String owner;

    public Leases(Ledger ledger, Launcher launcher, Duration lease) {
        this.ledger = ledger;
        this.launcher = launcher;
        this.lease = lease;
        this.owner = nodeName();
    }

    public String owner() {
        return owner;
    }

    public RunOrigin api() {
        return RunOrigin.api(owner, Instant.now().plus(lease));
    }

    public RunOrigin schedule(String name) {
        return RunOrigin.schedule(name, owner, Instant.now().plus(lease));
    }

    /** Called on start and then periodically: renew what this node follows, adopt what nobody follows. */
    public void renewAndAdopt() {
        Instant until = Instant.now().plus(lease);
        launcher.following().keySet().forEach(runId -> ledger.renewLease(owner, runId, until));
        List<String> adopted = ledger.claimOrphans(owner, until, 100);
        for (String runId : adopted) {
            if (!launcher.isBusy(runId)) {
                LOG.info("adopting unfinished run {} (its runtime stopped); resuming it", runId);
                launcher.launch(runId, new RunRequest(null, Map.of(), runId, null, null, null, false, null));
            }
        }
    }

    /** On a clean shutdown: the runs stay unfinished and can be adopted at once by the next start. */
    public void release(java.util.Collection<String> runIds) {
        runIds.forEach(runId -> ledger.releaseLease(owner, runId));
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
