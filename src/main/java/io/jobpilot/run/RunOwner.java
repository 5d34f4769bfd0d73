package io.jobpilot.run;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A process that follows runs: its unique token (the ledger's {@code owner}: host/pid/uuid8, new for every jobpilot
 * started in a JVM), and the parts a second process needs to name it and to tell whether it is still there: the host,
 * the process id and when that process started, and for a serve node its node identity.
 *
 * @param node a serve node's identity ({@code jobpilot.server.node-id}); null for a command-line or embedded run
 */
public record RunOwner(String token, String node, String host, long pid, Instant processStarted) {
    /**
     * Process start instants are derived from the boot time and clock ticks, so two readings of one process may differ
     * by a little; a reused pid belongs to a process started long after the owner's.
     */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    /** This process, as an owner; a new token each time (two jobpilots in one JVM are two owners). */
    public static RunOwner self(String node) {
        ProcessHandle me = ProcessHandle.current();
        String host = hostName();
        return new RunOwner(host + "/" + me.pid() + "/" + UUID.randomUUID().toString().substring(0, 8), node, host, me.pid(),
                me.info().startInstant().orElse(null));
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** From a ledger row; rows written before the owner's parts were recorded have only the token (host/pid/uuid8). */
    public static RunOwner of(String token, String node, String host, Long pid, Instant processStarted) {
        if (token == null) {
            return null;
        }
        if (host == null) {
            String[] parts = token.split("/");
            host = parts[0];
            try {
                pid = parts.length > 1 ? Long.parseLong(parts[1]) : null;
            } catch (NumberFormatException e) {
                pid = null;
            }
        }
        return new RunOwner(token, node, host, pid == null ? -1 : pid, processStarted);
    }

    public boolean isSameProcess(RunOwner other) {
        return host.equals(other.host) && pid == other.pid;
    }

    /**
     * True when this owner was a process on {@code observer}'s host that no longer exists: its pid is gone, or now
     * belongs to a process that started after the owner's did. An owner on another host can only be presumed gone
     * once its lease lapses.
     */
    public boolean isGoneFrom(RunOwner observer) {
        if (!host.equals(observer.host) || pid <= 0 || isSameProcess(observer)) {
            return false;
        }
        var process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        Instant started = process.get().info().startInstant().orElse(null);
        return started != null && processStarted != null && started.isAfter(processStarted.plus(START_TOLERANCE));
    }

    /** "process 4242 on host h", or for a serve node "jobpilot serve node h:8080 (process 4242 on host h)". */
    public String describe() {
        String process = (pid > 0 ? "process " + pid : "process " + token) + " on host " + host;
        return node == null ? process : "jobpilot serve node " + node + " (" + process + ")";
    }
}
