package io.jobpilot.iics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.run.Json;
import io.jobpilot.run.JsonDocuments;
import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowDefinition;
import io.jobpilot.run.WorkflowSpec;

import java.util.HashMap;
import java.util.Map;

/**
 * Parameters of {@code iics-taskflow}: besides those of its definition, {@code -p input.NAME=VALUE} for each input
 * field of the taskflow, which a definition cannot list (they are the taskflow's own).
 */
public final class IicsTaskflowSpec implements WorkflowSpec {
    public static final String NAME = "iics-taskflow";
    static final String INPUT = "input.";

    private static final WorkflowDefinition DEFINITION = WorkflowDefinition.load(NAME);

    @Override
    public WorkflowDefinition definition() {
        return DEFINITION;
    }

    /** The definition's names, and input.NAME for any NAME. */
    @Override
    public void rejectUnknown(Map<String, String> params) {
        params.keySet().stream().filter(name -> name.startsWith(INPUT)).filter(name -> name.length() == INPUT.length()).findFirst()
                .ifPresent(name -> {
                    throw new UsageException(NAME + ": -p input. needs the input field's name (-p input.NAME=VALUE)");
                });
        Map<String, String> own = new HashMap<>(params);
        own.keySet().removeIf(name -> name.startsWith(INPUT));
        WorkflowSpec.super.rejectUnknown(own);
    }

    @Override
    public void validateTogether(Map<String, String> params) {
        inputs(params);
    }

    /** The input fields, sent as the start's body: -p parameters (a JSON object), then each -p input.NAME over it. */
    static ObjectNode inputs(Map<String, String> params) {
        String file = params.get("parameters");
        ObjectNode inputs = file == null || file.isBlank() ? Json.MAPPER.createObjectNode()
                : (ObjectNode) JsonDocuments.object(NAME + ": -p parameters", file.trim()).deepCopy();
        params.entrySet().stream().filter(p -> p.getKey().startsWith(INPUT))
                .forEach(p -> inputs.put(p.getKey().substring(INPUT.length()), p.getValue()));
        return inputs;
    }
}
