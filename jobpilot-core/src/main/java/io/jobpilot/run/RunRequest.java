package io.jobpilot.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the caller asked for. {@code timeout} null means the configured default ({@code jobpilot.run.timeout});
 * {@code runId} null means generate one.
 */
public record RunRequest(String workflow, Map<String, String> params, String runId, Path outDir, Duration timeout,
                         OnTimeout onTimeout, boolean noWait, String notifyUrl) {

    public RunRequest {
        params = Map.copyOf(params);
        onTimeout = onTimeout == null ? OnTimeout.FAIL : onTimeout;
    }

    public static RunRequest of(String workflow, Map<String, String> params) {
        return new RunRequest(workflow, params, null, null, null, OnTimeout.FAIL, false, null);
    }

    public RunRequest withRunId(String id) {
        return new RunRequest(workflow, params, id, outDir, timeout, onTimeout, noWait, notifyUrl);
    }

    public RunRequest withParams(Map<String, String> p) {
        return new RunRequest(workflow, p, runId, outDir, timeout, onTimeout, noWait, notifyUrl);
    }

    public RunRequest withOutDir(Path dir) {
        return new RunRequest(workflow, params, runId, dir, timeout, onTimeout, noWait, notifyUrl);
    }

    public RunRequest withTimeout(Duration t, OnTimeout action) {
        return new RunRequest(workflow, params, runId, outDir, t, action, noWait, notifyUrl);
    }
}
