package io.jobpilot.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.config.JobpilotConfig.ConfigException;
import io.jobpilot.run.Json;
import io.jobpilot.run.JsonDocuments;
import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The documents an API request gives a run (a workflow's {@link WorkflowSpec#documentParameters()}: an Exago batch, a
 * 1Integrate session, an InfoLink operation or parameters). The workflows read them from files, as on the command
 * line; over HTTP the caller sends them inline, and they are written to {@code <run dir>/inputs/<name>.json}. A
 * server-side path is only taken inside {@code jobpilot.server.files-dir} (unset: never), so no request can make the
 * server read a file of its own.
 */
public final class ApiDocuments {
    /** The run directory's folder for the documents of an API request. */
    public static final String INPUTS = "inputs";

    private final Path filesDir;

    /** {@code filesDir}: jobpilot.server.files-dir, or null when paths are not accepted. */
    public ApiDocuments(String filesDir) {
        this.filesDir = filesDir == null ? null : realDirectory(filesDir);
    }

    private static Path realDirectory(String dir) {
        try {
            return Path.of(dir).toRealPath();
        } catch (IOException e) {
            throw new ConfigException("jobpilot.server.files-dir=" + dir + " is not a directory");
        }
    }

    /**
     * The document parameters of {@code params} as the paths the workflow reads: inline ones (a JSON object or array,
     * or a string holding one) written to {@code inputs}, paths checked against the files directory.
     */
    public Map<String, String> resolve(WorkflowSpec spec, JsonNode params, Path inputs) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : spec.documentParameters()) {
            JsonNode value = params.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            String what = spec.name() + ": params." + name;
            if (value.isContainerNode()) {
                files.put(name, write(inputs, name, value));
            } else if (!value.isTextual()) {
                throw new UsageException(what + " must be the document itself (a JSON object or array), not a JSON "
                        + value.getNodeType().name().toLowerCase());
            } else if (value.asText().strip().startsWith("{") || value.asText().strip().startsWith("[")) {
                files.put(name, write(inputs, name, JsonDocuments.parse(what, value.asText())));
            } else {
                files.put(name, serverFile(what, name, value.asText()));
            }
        }
        return files;
    }

    /** A path the caller named: only a regular file inside the files directory, symbolic links resolved. */
    private String serverFile(String what, String name, String path) {
        if (filesDir == null) {
            throw new UsageException(what + ": server-side paths are not accepted (jobpilot.server.files-dir is not set); send "
                    + "the document itself, e.g. \"" + name + "\": {...} or [...]");
        }
        Path file = filesDir.resolve(path).normalize();
        if (!file.startsWith(filesDir)) {
            throw new UsageException(what + "='" + path + "' is outside jobpilot.server.files-dir");
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(what + "='" + path + "': no such file in jobpilot.server.files-dir");
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(filesDir)) {
                throw new UsageException(what + "='" + path + "' is outside jobpilot.server.files-dir");
            }
            return real.toString();
        } catch (IOException e) {
            throw new UsageException(what + "='" + path + "' cannot be read");
        }
    }

    private static String write(Path inputs, String name, JsonNode document) {
        try {
            Files.createDirectories(inputs);
            Path file = inputs.resolve(name + ".json");
            Path partial = Files.createTempFile(inputs, name, ".partial");
            Files.writeString(partial, Json.pretty(document));
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " to " + inputs, e);
        }
    }

    /** Removes the documents of a request that recorded no run, and the run directory if nothing else is in it. */
    public void discard(Path inputs) {
        if (!Files.isDirectory(inputs)) {
            return;
        }
        try (Stream<Path> all = Files.walk(inputs)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            try (Stream<Path> rest = Files.list(inputs.getParent())) {
                if (rest.findAny().isEmpty()) {
                    Files.delete(inputs.getParent());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + inputs, e);
        }
    }
}
