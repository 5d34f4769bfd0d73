package io.jobpilot.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run as the ledger holds it: its result so far, its stored request, its transitions and done steps. A value of the
 * run package, read back through {@link RunLedger}, so resuming a run needs nothing of the ledger's own classes.
 */
public record LedgerRun(RunResult result, StoredRequest request, List<Event> events, List<String> steps,
                        Map<String, StepRecord> stepRecords, Instant createdAt,
                        Instant updatedAt) {

    public record Event(Instant at, String state, String detail) {
    }

    /** What resume needs to continue a run the way it was started. */
    public record StoredRequest(String workflow, Map<String, String> params, String outDir, Long timeoutMs, String onTimeout,
                                String notifyUrl) {
    }
}
