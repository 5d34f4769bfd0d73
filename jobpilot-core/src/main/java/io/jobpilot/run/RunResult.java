package io.jobpilot.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The record of a run as written to run.json, printed by --json and returned by the API. {@code notification} (where
 * the run's --notify delivery stands) and {@code origin} (who started the run: cli, api or schedule) are only filled in
 * when read back from the ledger, never in run.json or the posted document.
 * Times are written as ISO-8601 text by the record itself, so any ObjectMapper (a host's Camel Jackson data format,
 * without the java.time module) marshals a RunResult as it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(String runId, String workflow, Outcome outcome, String state, Map<String, String> remoteIds,
                        @JsonSerialize(using = ToStringSerializer.class) Instant startedAt,
                        @JsonSerialize(using = ToStringSerializer.class) Instant finishedAt, Long durationMs, Map<String, Object> counts,
                        List<String> artifacts, RunError error, List<String> warnings, Map<String, String> params,
                        String outDir, Notification notification, String origin) {

    public RunResult(String runId, String workflow, Outcome outcome, String state, Map<String, String> remoteIds,
                     Instant startedAt, Instant finishedAt, Long durationMs, Map<String, Object> counts,
                     List<String> artifacts, RunError error, List<String> warnings, Map<String, String> params,
                     String outDir) {
        this(runId, workflow, outcome, state, remoteIds, startedAt, finishedAt, durationMs, counts, artifacts, error, warnings,
                params, outDir, null, null);
    }

    public RunResult withNotification(Notification n) {
        return new RunResult(runId, workflow, outcome, state, remoteIds, startedAt, finishedAt, durationMs, counts, artifacts,
                error, warnings, params, outDir, n, origin);
    }

    public int exitCode() {
        return outcome == null ? Outcome.RUNNING.exitCode() : outcome.exitCode();
    }
}
