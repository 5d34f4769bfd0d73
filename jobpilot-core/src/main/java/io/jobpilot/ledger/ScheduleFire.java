package io.jobpilot.ledger;

import java.time.Instant;

/** What became of one fire of a schedule: STARTED (with its run), or why it started nothing. */
public record ScheduleFire(String schedule, Instant fireTime, String decision, String runId, String detail) {
}
