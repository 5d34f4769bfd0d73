package io.jobpilot.run;

import java.time.Instant;

/**
 * Who started a run and who follows it. Every run is followed by one owner at a time, which renews a lease on it
 * while it follows it (see {@link RunLeases}). Runs from the long-lived runtime (api, schedule) are adopted by another
 * node when their owner is gone; command-line runs are taken over by their user's next `run --run-id` or `resume`.
 */
public record RunOrigin(String kind, String schedule, RunOwner owner, Instant leaseUntil) {
    public static RunOrigin cli(RunOwner owner, Instant leaseUntil) {
        return new RunOrigin("cli", null, owner, leaseUntil);
    }

    public static RunOrigin api(RunOwner owner, Instant leaseUntil) {
        return new RunOrigin("api", null, owner, leaseUntil);
    }

    public static RunOrigin schedule(String name, RunOwner owner, Instant leaseUntil) {
        return new RunOrigin("schedule", name, owner, leaseUntil);
    }
}
