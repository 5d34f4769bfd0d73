package io.jobpilot.iics;

import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowDefinition;
import io.jobpilot.run.WorkflowSpec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Parameters of {@code iics-export}. */
public final class IicsExportSpec implements WorkflowSpec {
    public static final String NAME = "iics-export";
    /** Informatica advises no more than 1000 objects per export job. */
    public static final int MAX_OBJECTS = 1000;

    private static final WorkflowDefinition DEFINITION = WorkflowDefinition.load(NAME);

    @Override
    public WorkflowDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void validateTogether(Map<String, String> params) {
        String objects = params.get("objects");
        String exportId = params.get("export-id");
        if (params.get("object-paths") != null) {
            List<Map.Entry<String, String>> paths = objectPaths(params.get("object-paths"));
            if (paths.isEmpty()) {
                throw new UsageException(NAME + ": -p object-paths is empty (comma-separated Project/Folder/Name:TYPE)");
            }
            if (paths.size() > MAX_OBJECTS) {
                throw new UsageException(NAME + ": -p object-paths has " + paths.size() + " paths; Informatica advises at most "
                        + MAX_OBJECTS + " per export job: split them over several runs");
            }
            for (Map.Entry<String, String> p : paths) {
                if (p.getKey().isBlank() || p.getValue().isBlank() || !p.getValue().matches("[A-Za-z_]+")) {
                    throw new UsageException(NAME + ": -p object-paths: '" + p.getKey() + (p.getValue().isEmpty() ? "" : ":" + p.getValue())
                            + "' is not Project/Folder/Name:TYPE (TYPE as IICS names it: MTT, DTEMPLATE, TASKFLOW, CONNECTION, ...)");
                }
            }
        } else if (objects != null) {
            List<String> ids = objectIds(objects);
            if (ids.isEmpty()) {
                throw new UsageException(NAME + ": -p objects is empty (comma-separated IICS object ids)");
            }
            if (ids.size() > MAX_OBJECTS) {
                throw new UsageException(NAME + ": -p objects has " + ids.size() + " ids; Informatica advises at most " + MAX_OBJECTS
                        + " per export job: split them over several runs");
            }
            ids.forEach(id -> requireId("objects", id));
        } else {
            requireId("export-id", exportId.trim());
            for (String p : List.of("name", "include-dependencies")) {
                if (params.get(p) != null) {
                    throw new UsageException(NAME + ": -p " + p + " only applies when starting an export with -p objects");
                }
            }
        }
    }

    /**
     * -p object-paths: comma-separated {@code Project/Folder/Name:TYPE}, each as (path, type); the type follows the
     * last ':' (IICS's lookup needs both). An entry without one has an empty type.
     */
    public static List<Map.Entry<String, String>> objectPaths(String paths) {
        return Arrays.stream(paths.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
            int colon = s.lastIndexOf(':');
            return colon < 0 ? Map.entry(s, "") : Map.entry(s.substring(0, colon).trim(), s.substring(colon + 1).trim());
        }).toList();
    }

    /** The comma-separated ids, trimmed, blanks dropped. */
    public static List<String> objectIds(String objects) {
        return Arrays.stream(objects.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void requireId(String param, String id) {
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new UsageException(NAME + ": -p " + param + ": '" + id + "' is not an IICS id (letters and digits)");
        }
    }
}
