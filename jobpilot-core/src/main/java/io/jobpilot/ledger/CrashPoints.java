package io.jobpilot.ledger;

import java.util.Set;

/**
 * Failpoints for crash testing (property {@code jobpilot.test.crash-after}): the process halts, as abruptly as
 * kill -9 (no shutdown hooks, nothing flushed), right after the ledger has durably recorded one of the named events,
 * e.g. {@code step:play-sent}, {@code remote:runId}, {@code state:COLLECTING}. Empty (the default): never.
 */
public final class CrashPoints {
    /** The exit status of a halted process: what a shell reports for kill -9. */
    public static final int EXIT = 137;
    static final CrashPoints NONE = new CrashPoints(Set.of());

    private final Set<String> points;

    private CrashPoints(Set<String> points) {
        this.points = points;
    }

    /** Comma-separated {@code kind:name} events; null or blank is none. */
    public static CrashPoints parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        return new CrashPoints(Set.of(spec.trim().split("\\s*,\\s*")));
    }

    void after(String kind, String name) {
        if (!points.isEmpty() && points.contains(kind + ":" + name)) {
            System.err.println("jobpilot.test.crash-after: halting after " + kind + ":" + name);
            System.err.flush();
            Runtime.getRuntime().halt(EXIT);
        }
    }
}
