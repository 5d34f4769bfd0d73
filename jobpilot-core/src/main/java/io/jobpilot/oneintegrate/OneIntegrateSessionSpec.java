package io.jobpilot.oneintegrate;

import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowDefinition;
import io.jobpilot.run.WorkflowSpec;

import java.util.Map;

/** Parameters of {@code oneintegrate-session}. */
public final class OneIntegrateSessionSpec implements WorkflowSpec {
    public static final String NAME = "oneintegrate-session";
    private static final WorkflowDefinition DEFINITION = WorkflowDefinition.load(NAME);

    @Override
    public WorkflowDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void validateTogether(Map<String, String> params) {
        String path = params.get("path");
        if (path.contains("//") || path.strip().startsWith("/") && path.strip().length() == 1) {
            throw new UsageException(NAME + ": -p path='" + path + "' has an empty segment");
        }
        if (params.get("if-exists") != null && params.get("session") == null) {
            throw new UsageException(NAME + ": -p if-exists only applies with -p session=FILE (without it the session must already exist)");
        }
    }
}
