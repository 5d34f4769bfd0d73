package io.jobpilot.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The record of a run as written to run.json, printed by --json and returned by the API. {@code notification} (where
 * the run's --notify delivery stands) is only filled in when read back, never in run.json or the posted document.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(String runId, String workflow, Outcome outcome, String state, Map<String, String> remoteIds,
                        Instant startedAt, Instant finishedAt, Long durationMs, Map<String, Object> counts,
                        List<String> artifacts, RunError error, List<String> warnings, Map<String, String> params,
                        String outDir, Notification notification) {

    public RunResult(String runId, String workflow, Outcome outcome, String state, Map<String, String> remoteIds,
                     Instant startedAt, Instant finishedAt, Long durationMs, Map<String, Object> counts,
                     List<String> artifacts, RunError error, List<String> warnings, Map<String, String> params,
                     String outDir) {
        this(runId, workflow, outcome, state, remoteIds, startedAt, finishedAt, durationMs, counts, artifacts, error, warnings,
                params, outDir, null);
    }

    public RunResult withNotification(Notification n) {
        return new RunResult(runId, workflow, outcome, state, remoteIds, startedAt, finishedAt, durationMs, counts, artifacts,
                error, warnings, params, outDir, n);
    }

    public int exitCode() {
        return outcome == null ? Outcome.RUNNING.exitCode() : outcome.exitCode();
    }
}
