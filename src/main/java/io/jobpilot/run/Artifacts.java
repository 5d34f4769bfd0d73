package io.jobpilot.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a run's files under a temporary name and renames them into place, so a reader never sees half a file. */
public final class Artifacts {
    private Artifacts() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path tmp = tmpFor(target);
        Files.write(tmp, content == null ? new byte[0] : content);
        moveIntoPlace(tmp, target);
    }

    /** Copies the stream to disk as it arrives (nothing is held in memory); returns the number of bytes written. */
    public static long write(Path target, InputStream content) throws IOException {
        Path tmp = tmpFor(target);
        long n = Files.copy(content, tmp, StandardCopyOption.REPLACE_EXISTING);
        moveIntoPlace(tmp, target);
        return n;
    }

    private static Path tmpFor(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
