package io.jobpilot.infolink;

import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowDefinition;
import io.jobpilot.run.WorkflowSpec;

import java.util.Map;

/** Parameters of {@code infolink-job}. */
public final class InfoLinkJobSpec implements WorkflowSpec {
    public static final String NAME = "infolink-job";

    private static final WorkflowDefinition DEFINITION = WorkflowDefinition.load(NAME);

    @Override
    public WorkflowDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void validateTogether(Map<String, String> params) {
        if ("true".equals(params.get("no-result-schema")) && !"false".equals(params.get("async"))) {
            throw new UsageException(NAME + ": -p no-result-schema=true only applies with -p async=false "
                    + "(InfoLink ignores it for asynchronous jobs)");
        }
        InfoLinkOperation.from(params);
    }
}
