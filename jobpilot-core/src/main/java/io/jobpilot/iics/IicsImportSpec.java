package io.jobpilot.iics;

import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowDefinition;
import io.jobpilot.run.WorkflowSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Parameters of {@code iics-import}: the package must be a readable zip archive before anything is sent. */
public final class IicsImportSpec implements WorkflowSpec {
    public static final String NAME = "iics-import";

    private static final WorkflowDefinition DEFINITION = WorkflowDefinition.load(NAME);

    @Override
    public WorkflowDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void validateTogether(Map<String, String> params) {
        Path file = Path.of(params.get("package").trim());
        String what = NAME + ": -p package=" + file;
        if (!Files.isRegularFile(file)) {
            throw new UsageException(what + ": no such file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            throw new UsageException(what + ": the file cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (head.length < 4 || head[0] != 'P' || head[1] != 'K' || !(head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6)) {
            throw new UsageException(what + " is not a zip archive (an IICS export package is one)");
        }
        String objects = params.get("objects");
        if (objects != null && !objects.isBlank() && objectIds(objects).isEmpty()) {
            throw new UsageException(NAME + ": -p objects is empty (comma-separated ids of the package's objects)");
        }
    }

    /** The ids of -p objects, without blanks. */
    static List<String> objectIds(String objects) {
        return Arrays.stream(objects.split(",")).map(String::trim).filter(id -> !id.isEmpty()).toList();
    }
}
