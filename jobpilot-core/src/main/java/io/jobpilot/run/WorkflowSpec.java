package io.jobpilot.run;

import java.util.Map;
import java.util.Set;

/**
 * A workflow's parameter rules, checked before any HTTP call: its {@link WorkflowDefinition} (each parameter on its
 * own), then what the spec class adds about parameters together.
 */
public interface WorkflowSpec {
    /** The workflow as its users see it (jobpilot/routes/&lt;workflow&gt;.workflow.yaml). */
    WorkflowDefinition definition();

    default String name() {
        return definition().name();
    }

    /** One line for `jobpilot --help` and error messages. */
    default String summary() {
        return definition().description();
    }

    default Set<String> parameterNames() {
        return definition().parameterNames();
    }

    /**
     * The parameters that name a JSON document the workflow reads from a file (e.g. an Exago batch): the API takes these
     * inline instead of as paths on the server.
     */
    default Set<String> documentParameters() {
        return definition().documentParameters();
    }

    /**
     * Throws {@link UsageException} with a precise message when the parameters are wrong: the definition's checks, then
     * {@link #validateTogether}.
     */
    default void validate(Map<String, String> params) {
        definition().validate(params);
        validateTogether(params);
    }

    /** What the definition cannot say: rules between parameters, or about a document's content. */
    default void validateTogether(Map<String, String> params) {
    }

    /** False when the vendor offers no way to stop the remote job (then --on-timeout stop is refused up front). */
    default boolean canStop() {
        return definition().canStop();
    }

    /** True when a run with these parameters is told of its end over HTTP (then `jobpilot run` listens for the call). */
    default boolean receivesCallbacks(Map<String, String> params) {
        return false;
    }

    /** Rejects parameter names the workflow does not know (a typo would otherwise be silently ignored). */
    default void rejectUnknown(Map<String, String> params) {
        for (String name : params.keySet()) {
            if (!parameterNames().contains(name)) {
                throw new UsageException(name() + ": unknown parameter -p " + name + " (known: " + String.join(", ",
                        new java.util.TreeSet<>(parameterNames())) + ")");
            }
        }
    }

    static void oneOf(String workflow, String param, String value, String... allowed) {
        if (value != null && !Set.of(allowed).contains(value)) {
            throw new UsageException(workflow + ": -p " + param + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
        }
    }

    static void bool(String workflow, String param, String value) {
        oneOf(workflow, param, value, "true", "false");
    }
}
