package io.jobpilot.iics;

import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowSpec;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Parameters of {@code iics-job}. */
public final class IicsJobSpec implements WorkflowSpec {
    public static final String NAME = "iics-job";
    /** Data Integration task types the v2 job resource starts. */
    public static final List<String> TASK_TYPES = List.of("DMASK", "DRS", "DSS", "MTT", "PCS", "WORKFLOW");
    /** -p name to the job resource's field. */
    static final Map<String, String> IDENTITIES = Map.of("task-id", "taskId", "task-federated-id", "taskFederatedId",
            "task-name", "taskName");

    private final boolean callbackUrlConfigured;

    /** @param callbackUrlConfigured whether jobpilot.callback.public-url is set (-p callback=true needs it) */
    public IicsJobSpec(boolean callbackUrlConfigured) {
        this.callbackUrlConfigured = callbackUrlConfigured;
    }

    /** -p callback=true: IICS calls back when the run ends (the activity log still confirms it). */
    public static boolean callbackRequested(Map<String, String> params) {
        String v = params.get("callback");
        return v != null && v.trim().equals("true");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "run an IICS task (v2 job resource), follow it through the activity monitor and log";
    }

    @Override
    public Set<String> parameterNames() {
        return Set.of("task-id", "task-federated-id", "task-name", "task-type", "callback", "warning");
    }

    @Override
    public void validate(Map<String, String> params) {
        long given = IDENTITIES.keySet().stream().map(params::get).filter(Objects::nonNull).filter(v -> !v.isBlank()).count();
        if (given != 1) {
            throw new UsageException(NAME + ": give exactly one of -p task-id=ID (8-character id, Default folder), "
                    + "-p task-federated-id=ID (tasks in projects and folders) or -p task-name=NAME");
        }
        String type = params.get("task-type");
        if (type == null || type.isBlank()) {
            throw new UsageException(NAME + ": -p task-type is required (one of " + String.join(", ", TASK_TYPES) + ")");
        }
        if (!TASK_TYPES.contains(type.trim().toUpperCase(Locale.ROOT))) {
            throw new UsageException(NAME + ": -p task-type must be one of " + String.join(", ", TASK_TYPES) + ", not '" + type + "'");
        }
        WorkflowSpec.oneOf(NAME, "warning", params.get("warning"), "succeed", "fail");
        WorkflowSpec.bool(NAME, "callback", params.get("callback"));
        if (callbackRequested(params) && !callbackUrlConfigured) {
            throw new UsageException(NAME + ": -p callback=true needs jobpilot.callback.public-url, the address at which IICS "
                    + "can reach this jobpilot (e.g. --set jobpilot.callback.public-url=https://jobpilot.example.com); without "
                    + "it leave -p callback out: the run is followed by polling");
        }
    }

    @Override
    public boolean receivesCallbacks(Map<String, String> params) {
        return callbackRequested(params);
    }
}
