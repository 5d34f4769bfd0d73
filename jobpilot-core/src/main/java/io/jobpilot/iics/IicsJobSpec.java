package io.jobpilot.iics;

import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowDefinition;
import io.jobpilot.run.WorkflowSpec;

import java.util.Map;

/** Parameters of {@code iics-job}. */
public final class IicsJobSpec implements WorkflowSpec {
    public static final String NAME = "iics-job";
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

    private static final WorkflowDefinition DEFINITION = WorkflowDefinition.load(NAME);

    @Override
    public WorkflowDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void validateTogether(Map<String, String> params) {
        if (params.get("parameter-file-dir") != null && params.get("parameter-file-name") == null) {
            throw new UsageException(NAME + ": -p parameter-file-dir needs -p parameter-file-name (the file in that directory)");
        }
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
