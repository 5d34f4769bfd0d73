package io.jobpilot.exago;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.JsonDocuments;
import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowDefinition;
import io.jobpilot.run.WorkflowSpec;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parameters of {@code exago-batch}, and the rules of a batch file (seed 002, vendor-apis.md §4): a JSON array of
 * {@code {Url, Method, Payload}}; Method POST, PATCH, GET or DELETE; the first item {@code POST Sessions} unless
 * {@code -p sid} names an existing session; no {@code GET|PATCH|DELETE Sessions/{sid}}; Urls case-sensitive.
 */
public final class ExagoBatchSpec implements WorkflowSpec {
    public static final String NAME = "exago-batch";
    private static final Set<String> METHODS = Set.of("POST", "PATCH", "GET", "DELETE");
    private static final Set<String> FIELDS = Set.of("Url", "Method", "Payload");
    private static final Pattern SESSION_BY_ID = Pattern.compile("Sessions/[^/?]+");

    private static final WorkflowDefinition DEFINITION = WorkflowDefinition.load(NAME);

    @Override
    public WorkflowDefinition definition() {
        return DEFINITION;
    }

    /** The definition has checked that the batch is a JSON file; here its items are checked. */
    @Override
    public void validateTogether(Map<String, String> params) {
        String file = params.get("batch");
        String config = params.get("config-name");
        if (config != null && (config.isBlank() || config.endsWith(".xml"))) {
            throw new UsageException(NAME + ": -p config-name is the config file's name without '.xml' (case-sensitive), not '"
                    + config + "'");
        }
        String sid = params.get("sid");
        if (sid != null && sid.isBlank()) {
            throw new UsageException(NAME + ": -p sid is empty (give the Id of an existing Exago session, or leave it out)");
        }
        String what = NAME + ": -p batch=" + file;
        checkItems(what, JsonDocuments.read(what, Path.of(file)), sid != null);
    }

    /** Throws a UsageException naming the item (1-based) and what is wrong with it. */
    static void checkItems(String what, JsonNode batch, boolean hasSid) {
        if (batch == null || !batch.isArray()) {
            throw new UsageException(what + " must be a JSON array of {Url, Method, Payload} objects, not a JSON "
                    + (batch == null ? "nothing" : batch.getNodeType().name().toLowerCase()));
        }
        if (batch.isEmpty()) {
            throw new UsageException(what + " is an empty array: a batch needs at least one item");
        }
        for (int i = 0; i < batch.size(); i++) {
            checkItem(what + ", item " + (i + 1) + " of " + batch.size(), batch.get(i));
        }
        JsonNode first = batch.get(0);
        if (!hasSid && !(first.path("Method").asText().equals("POST") && first.path("Url").asText().equals("Sessions"))) {
            throw new UsageException(what + ", item 1 is " + first.path("Method").asText() + " " + first.path("Url").asText()
                    + ": without -p sid the first item must be {\"Url\":\"Sessions\",\"Method\":\"POST\"} (a batch creates its session)");
        }
    }

    private static void checkItem(String where, JsonNode item) {
        if (!item.isObject()) {
            throw new UsageException(where + " is a JSON " + item.getNodeType().name().toLowerCase()
                    + ", not an object {Url, Method, Payload}");
        }
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new UsageException(where + " has an unknown field '" + name + "' (known: Url, Method, Payload; names are case-sensitive)");
            }
        }
        JsonNode url = item.get("Url");
        if (url == null || !url.isTextual() || url.asText().isBlank()) {
            throw new UsageException(where + " has no Url (the REST resource after /rest/, e.g. \"Sessions\" or \"Roles/MyRole\")");
        }
        String u = url.asText();
        if (u.startsWith("/") || u.regionMatches(true, 0, "rest/", 0, 5) || !Character.isUpperCase(u.charAt(0))) {
            throw new UsageException(where + " has Url '" + u + "': it is the resource after /rest/ and starts with a capital "
                    + "letter (batch Urls are case-sensitive, e.g. \"Roles/MyRole\")");
        }
        JsonNode method = item.get("Method");
        if (method == null || !method.isTextual() || !METHODS.contains(method.asText())) {
            throw new UsageException(where + " (" + u + ") has Method " + (method == null ? "missing" : "'" + method.asText() + "'")
                    + ": it must be one of POST, PATCH, GET, DELETE");
        }
        String m = method.asText();
        if (!m.equals("POST") && SESSION_BY_ID.matcher(u).matches()) {
            throw new UsageException(where + " is " + m + " " + u + ": GET|PATCH|DELETE Sessions/{sid} are not supported in a batch");
        }
        JsonNode payload = item.get("Payload");
        if (payload != null && !payload.isNull() && !payload.isObject() && !payload.isArray()) {
            throw new UsageException(where + " (" + m + " " + u + ") has a Payload that is a JSON "
                    + payload.getNodeType().name().toLowerCase() + ", not an object");
        }
    }
}
