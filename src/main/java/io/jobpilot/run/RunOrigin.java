package io.jobpilot.run;

import java.time.Instant;

/**
 * Who started a run and who follows it. Runs from the long-lived runtime (api, schedule) carry a lease that their node
 * renews; when it lapses another node adopts them. Command-line runs are resumed by their user, never adopted.
 */
public record RunOrigin(String kind, String schedule, String owner, Instant leaseUntil) {
    public static final RunOrigin CLI = new RunOrigin("cli", null, null, null);
    public static final RunOrigin EMBEDDED = new RunOrigin("embedded", null, null, null);

    public static RunOrigin api(String owner, Instant leaseUntil) {
        return new RunOrigin("api", null, owner, leaseUntil);
    }

    public static RunOrigin schedule(String name, String owner, Instant leaseUntil) {
        return new RunOrigin("schedule", name, owner, leaseUntil);
    }
}
