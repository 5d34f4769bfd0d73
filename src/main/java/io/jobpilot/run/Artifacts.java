package io.jobpilot.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a run's files under a temporary name and renames them into place, so a reader never sees half a file. */
public final class Artifacts {
    private Artifacts() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path tmp = tempFor(target);
        Files.write(tmp, content == null ? new byte[0] : content);
        moveIntoPlace(tmp, target);
    }

    public static void write(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies the stream to disk as it arrives (nothing is held in memory); returns the number of bytes written. */
    public static long write(Path target, InputStream content) throws IOException {
        Path tmp = tempFor(target);
        long n = Files.copy(content, tmp, StandardCopyOption.REPLACE_EXISTING);
        moveIntoPlace(tmp, target);
        return n;
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
