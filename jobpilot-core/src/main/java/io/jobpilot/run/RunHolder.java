package io.jobpilot.run;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A run's owner as the ledger has it ({@link RunHolders}); {@code owner} is null for a run nobody has followed since V5. */
public record RunHolder(String runId, String origin, String outcome, RunOwner owner, Instant since, Instant leaseUntil) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** Nobody holds the run: never owned, released on a clean exit or at its end, or the lease lapsed. */
    public boolean isFree(Instant now) {
        return owner == null || leaseUntil == null || leaseUntil.isBefore(now);
    }

    public boolean isOwnedBy(RunOwner o) {
        return owner != null && owner.token().equals(o.token());
    }

    /** The one line a second `run --run-id` or `resume` answers with. */
    public String describe() {
        String when = since == null ? "" : " since " + (LocalDate.ofInstant(since, ZoneOffset.UTC).equals(LocalDate.now(ZoneOffset.UTC))
                ? TIME.format(since) : DATE_TIME.format(since));
        return "run " + runId + " is being followed by " + owner.describe() + when + "; wait for it, or stop it with jobpilot stop "
                + runId;
    }
}
