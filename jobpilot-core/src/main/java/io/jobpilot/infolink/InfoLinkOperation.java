package io.jobpilot.infolink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.run.Json;
import io.jobpilot.run.JsonDocuments;
import io.jobpilot.run.UsageException;

import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code operation} of an executeJob call (doc L1), from the run's parameters: {@code -p scenario=NAME} (with
 * optional {@code -p parameters=JSON-OR-FILE}) gives {@code {"opName":"RunScenario","opParams":{"scenario","parameters"}}};
 * {@code -p operation=FILE} is sent as it is. Wrong input is a UsageException naming the parameter.
 */
public final class InfoLinkOperation {
    static final String WORKFLOW = InfoLinkJobSpec.NAME;

    private InfoLinkOperation() {
    }

    public static ObjectNode from(Map<String, String> params) {
        String scenario = blankToNull(params.get("scenario"));
        String operation = blankToNull(params.get("operation"));
        if ((scenario == null) == (operation == null)) {
            throw new UsageException(WORKFLOW + ": give exactly one of -p scenario=NAME (runs RunScenario) or -p operation=FILE "
                    + "(any operation as JSON)");
        }
        String parameters = blankToNull(params.get("parameters"));
        if (operation != null) {
            if (parameters != null) {
                throw new UsageException(WORKFLOW + ": -p parameters only goes with -p scenario; put them in the operation file's opParams");
            }
            JsonNode op = JsonDocuments.read(WORKFLOW + ": -p operation=" + operation, Path.of(operation));
            if (!op.isObject() || !op.path("opName").isTextual() || op.path("opName").asText().isBlank()) {
                throw new UsageException(WORKFLOW + ": -p operation=" + operation + " must be a JSON object with an opName "
                        + "(e.g. {\"opName\":\"RunScenario\",\"opParams\":{...}})");
            }
            if (op.has("opParams") && !op.get("opParams").isObject()) {
                throw new UsageException(WORKFLOW + ": -p operation=" + operation + ": opParams must be a JSON object");
            }
            return (ObjectNode) op;
        }
        ObjectNode op = Json.MAPPER.createObjectNode().put("opName", "RunScenario");
        ObjectNode opParams = op.putObject("opParams").put("scenario", scenario);
        opParams.set("parameters", parameters == null ? Json.MAPPER.createObjectNode() : parameters(parameters));
        return op;
    }

    /** A JSON object written inline ({"region":"EMEA"}) or a file holding one. */
    private static JsonNode parameters(String value) {
        return JsonDocuments.object(WORKFLOW + ": -p parameters", value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
