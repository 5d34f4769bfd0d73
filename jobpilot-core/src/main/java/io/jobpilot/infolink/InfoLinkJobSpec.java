package io.jobpilot.infolink;

import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowSpec;

import java.util.Map;
import java.util.Set;

/** Parameters of {@code infolink-job}. */
public final class InfoLinkJobSpec implements WorkflowSpec {
    public static final String NAME = "infolink-job";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "run an InfoLink job (a scenario or any operation), wait for it, save every result set as NDJSON";
    }

    @Override
    public Set<String> parameterNames() {
        return Set.of("app-id", "scenario", "operation", "parameters", "async", "no-result-schema");
    }

    @Override
    public Set<String> documentParameters() {
        return Set.of("operation", "parameters");
    }

    @Override
    public void validate(Map<String, String> params) {
        String appId = params.get("app-id");
        if (appId == null || appId.isBlank()) {
            throw new UsageException(NAME + ": -p app-id=ID is required (the InfoLink app the job runs in)");
        }
        WorkflowSpec.bool(NAME, "async", params.get("async"));
        WorkflowSpec.bool(NAME, "no-result-schema", params.get("no-result-schema"));
        if ("true".equals(params.get("no-result-schema")) && !"false".equals(params.get("async"))) {
            throw new UsageException(NAME + ": -p no-result-schema=true only applies with -p async=false "
                    + "(InfoLink ignores it for asynchronous jobs)");
        }
        InfoLinkOperation.from(params);
    }
}
