package io.jobpilot.ledger;

import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Test fixture: runs recorded in a ledger (and ended there), as Runs does it. */
public final class EndedRuns {
    private EndedRuns() {
    }

    /** A run of {@code workflow} with these parameters, recorded (not ended). */
    public static Run recorded(Ledger ledger, Path dir, String runId, String workflow, Map<String, String> params, String notifyUrl) {
        Run run = new Run(new RunRequest(workflow, params, runId, dir, null, OnTimeout.FAIL, false, notifyUrl),
                runId, dir.resolve(runId), Instant.now(), Duration.ofHours(1), false);
        ledger.insert(run);
        return run;
    }

    /** A SUCCEEDED run; with a notify URL its end queues a notification. */
    public static Run end(Ledger ledger, Path dir, String runId, String notifyUrl) {
        Run run = recorded(ledger, dir, runId, "oneintegrate-session", Map.of("path", "a"), notifyUrl);
        run.end(Outcome.SUCCEEDED, null);
        ledger.finish(run);
        return run;
    }
}
