package io.jobpilot.ledger;

import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Test fixture: runs recorded in a ledger and ended there, as Runs does it. */
public final class EndedRuns {
    private EndedRuns() {
    }

    /** A SUCCEEDED run; with a notify URL its end queues a notification. */
    public static Run end(Ledger ledger, Path dir, String runId, String notifyUrl) {
        Run run = new Run(new RunRequest("oneintegrate-session", Map.of("path", "a"), runId, dir, null, OnTimeout.FAIL, false, notifyUrl),
                runId, dir.resolve(runId), Instant.now(), Duration.ofHours(1), false);
        ledger.insert(run);
        run.end(Outcome.SUCCEEDED, null);
        ledger.finish(run);
        return run;
    }
}
