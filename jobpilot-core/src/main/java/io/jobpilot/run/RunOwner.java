package io.jobpilot.run;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A process that follows runs: its unique token (the ledger's {@code owner}: host/pid/uuid8, new for every jobpilot
 * started in a JVM), and the parts a second process needs to name it and to tell whether it is still there: the host,
 * the process id and when that process started, and for a serve node its node identity.
 *
 * @param node         a serve node's identity ({@code jobpilot.server.node-id}); null for a command-line or embedded run
 * @param pidNamespace the process's pid namespace where the system tells it (Linux: /proc/self/ns/pid), so that two
 *                     containers sharing a host name are not mistaken for one host whose pids they could look up
 */
public record RunOwner(String token, String node, String host, long pid, Instant processStarted, String pidNamespace) {
    /**
     * Process start instants are derived from the boot time and clock ticks, so two readings of one process may differ
     * by a little; a reused pid belongs to a process started long after the owner's.
     */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    /** An owner whose pid namespace is not known: judged by its host name alone. */
    public RunOwner(String token, String node, String host, long pid, Instant processStarted) {
        this(token, node, host, pid, processStarted, null);
    }

    /** This process, as an owner; a new token each time (two jobpilots in one JVM are two owners). */
    public static RunOwner self(String node) {
        ProcessHandle me = ProcessHandle.current();
        String host = hostName();
        return new RunOwner(host + "/" + me.pid() + "/" + UUID.randomUUID().toString().substring(0, 8), node, host, me.pid(),
                me.info().startInstant().orElse(null), currentPidNamespace());
    }

    private static String currentPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** From a ledger row; rows written before the owner's parts were recorded have only the token (host/pid/uuid8). */
    public static RunOwner of(String token, String node, String host, Long pid, Instant processStarted, String pidNamespace) {
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
        return new RunOwner(token, node, host, pid == null ? -1 : pid, processStarted, pidNamespace);
    }

    public boolean isSameProcess(RunOwner other) {
        return isOnHostOf(other) && pid == other.pid;
    }

    /** The same host name, and (where both are known) the same pid namespace: pids name the same processes. */
    private boolean isOnHostOf(RunOwner other) {
        return host.equals(other.host) && (pidNamespace == null || other.pidNamespace == null || pidNamespace.equals(other.pidNamespace));
    }

    /**
     * True when this owner was a process on {@code observer}'s host that no longer exists: its pid is gone, or now
     * belongs to a process that started after the owner's did. An owner on another host can only be presumed gone
     * once its lease lapses.
     */
    public boolean isGoneFrom(RunOwner observer) {
        if (!isOnHostOf(observer) || pid <= 0 || isSameProcess(observer)) {
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
