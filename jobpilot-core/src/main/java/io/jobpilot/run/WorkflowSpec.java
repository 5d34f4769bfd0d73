package io.jobpilot.run;

import java.util.Map;
import java.util.Set;

/** A workflow's name and its parameter rules, checked before any HTTP call. */
public interface WorkflowSpec {
    String name();

    /** One line for `jobpilot --help` and error messages. */
    String summary();

    Set<String> parameterNames();

    /**
     * The parameters that name a JSON document the workflow reads from a file (e.g. an Exago batch): the API takes these
     * inline instead of as paths on the server.
     */
    default Set<String> documentParameters() {
        return Set.of();
    }

    /** Throws {@link UsageException} with a precise message when the parameters are wrong. */
    void validate(Map<String, String> params);

    /** False when the vendor offers no way to stop the remote job (then --on-timeout stop is refused up front). */
    default boolean canStop() {
        return true;
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
