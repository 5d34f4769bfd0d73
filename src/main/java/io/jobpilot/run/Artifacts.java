package io.jobpilot.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writing a run's artifacts: always under a temporary name, then renamed into place, so no reader sees half a file. */
public final class Artifacts {
    private Artifacts() {
    }

    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = tempFor(target);
        Files.write(tmp, content == null ? new byte[0] : content);
        moveIntoPlace(tmp, target);
    }

    public static void writeAtomically(Path target, String content) throws IOException {
        writeAtomically(target, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The temporary sibling a file is written to before {@link #moveIntoPlace}; its directory exists afterwards. */
    public static Path tempFor(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A vendor's name (task identifier, result set name) as a file or directory name: anything unsafe becomes '_'. */
    public static String safeName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "_" : safe.startsWith(".") ? "_" + safe.substring(1) : safe;
    }
}
