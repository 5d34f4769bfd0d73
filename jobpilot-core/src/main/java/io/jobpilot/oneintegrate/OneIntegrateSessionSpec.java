package io.jobpilot.oneintegrate;

import io.jobpilot.run.JsonDocuments;
import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Parameters of {@code oneintegrate-session}. */
public final class OneIntegrateSessionSpec implements WorkflowSpec {
    public static final String NAME = "oneintegrate-session";
    public static final int MAX_PAGE_SIZE = 1000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "run a 1Spatial 1Integrate session, wait for it, save the task summaries and every report";
    }

    @Override
    public Set<String> parameterNames() {
        return Set.of("path", "session", "if-exists", "paused-means", "page-size");
    }

    @Override
    public Set<String> documentParameters() {
        return Set.of("session");
    }

    @Override
    public void validate(Map<String, String> params) {
        String path = params.get("path");
        if (path == null || path.isBlank()) {
            throw new UsageException(NAME + ": -p path=FOLDER/SESSION is required (the session's path in 1Integrate)");
        }
        if (path.contains("//") || path.strip().startsWith("/") && path.strip().length() == 1) {
            throw new UsageException(NAME + ": -p path='" + path + "' has an empty segment");
        }
        String session = params.get("session");
        if (session != null) {
            JsonDocuments.read(NAME + ": -p session=" + session, Path.of(session));
        }
        WorkflowSpec.oneOf(NAME, "if-exists", params.get("if-exists"), "fail", "reuse", "replace");
        WorkflowSpec.oneOf(NAME, "paused-means", params.get("paused-means"), "done", "continue");
        String pageSize = params.get("page-size");
        if (pageSize != null) {
            int n;
            try {
                n = Integer.parseInt(pageSize.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(NAME + ": -p page-size must be a whole number, not '" + pageSize + "'");
            }
            if (n < 1 || n > MAX_PAGE_SIZE) {
                throw new UsageException(NAME + ": -p page-size must be between 1 and " + MAX_PAGE_SIZE + " (1Integrate advises ~1000), not " + n);
            }
        }
        if (params.get("if-exists") != null && session == null) {
            throw new UsageException(NAME + ": -p if-exists only applies with -p session=FILE (without it the session must already exist)");
        }
    }
}
