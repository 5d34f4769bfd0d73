package io.jobpilot.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.ZipFile;

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

    /**
     * What keeps a file from being saved under {@code name}, or null when nothing does: a {@code .json} artifact must
     * hold one whole JSON document, a {@code .zip} one a zip archive (a local-file or empty-archive signature, and a
     * central directory {@link ZipFile} can read). Other artifacts (logs, NDJSON) are taken as they come.
     */
    public static String problemWith(Path file, String name) throws IOException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return notJson(file);
        }
        if (lower.endsWith(".zip")) {
            return notZip(file);
        }
        return null;
    }

    private static String notJson(Path file) throws IOException {
        if (Files.size(file) == 0) {
            return "empty, not a JSON document";
        }
        try (var parser = Json.MAPPER.createParser(file.toFile())) {
            if (parser.nextToken() == null) {
                return "blank, not a JSON document";
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return "not one JSON document (more follows the first value)";
            }
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String why = e.getOriginalMessage();
            return "not a whole JSON document (" + (why == null ? "unreadable" : why.lines().findFirst().orElse(why)) + ")";
        }
    }

    private static String notZip(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        boolean entries = head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        boolean empty = head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 5 && head[3] == 6;
        if (!entries && !empty) {
            return "not a zip archive (no zip signature)";
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return null;
        } catch (java.util.zip.ZipException e) {
            return "not a readable zip archive (" + e.getMessage() + ")";
        }
    }

    /** A vendor's name (task identifier, result set name) as a file or directory name: anything unsafe becomes '_'. */
    public static String safeName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "_" : safe.startsWith(".") ? "_" + safe.substring(1) : safe;
    }
}
