package io.jobpilot.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a file must hold to be saved as a .json or .zip artifact. */
class ArtifactsTest {
    @TempDir
    Path tmp;

    private String problem(String name, byte[] content) throws IOException {
        Path f = tmp.resolve("content-" + System.nanoTime());
        Files.write(f, content);
        return Artifacts.problemWith(f, name);
    }

    private String problem(String name, String content) throws IOException {
        return problem(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] zip(boolean withEntry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            if (withEntry) {
                zip.putNextEntry(new ZipEntry("exportMetadata.v2.json"));
                zip.write("{}".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aJsonArtifactMustBeOneWholeDocument() throws IOException {
        assertThat(problem("session.json", "{\"tasks\":[{\"taskIdentifier\":\"t\"}]}")).isNull();
        assertThat(problem("tasks/t/summary.json", "[1, 2]")).isNull();
        assertThat(problem("export.json", "")).isEqualTo("empty, not a JSON document");
        assertThat(problem("export.json", "  \n")).isEqualTo("blank, not a JSON document");
        assertThat(problem("export.json", "{\"status\": \"Runn")).startsWith("not a whole JSON document (Unexpected end-of-input");
        assertThat(problem("export.json", "<!DOCTYPE html><html></html>")).startsWith("not a whole JSON document (Unexpected character ('<'");
        assertThat(problem("export.json", "{\"a\":1} {\"b\":2}")).isEqualTo("not one JSON document (more follows the first value)");
    }

    @Test
    void aZipArtifactMustBeAReadableZipArchive() throws IOException {
        assertThat(problem("export-package.zip", zip(true))).isNull();
        assertThat(problem("export-package.zip", zip(false))).as("an empty archive").isNull();
        assertThat(problem("export-package.zip", "")).isEqualTo("not a zip archive (no zip signature)");
        assertThat(problem("export-package.zip", "<html><title>Login</title></html>")).isEqualTo("not a zip archive (no zip signature)");
        byte[] whole = zip(true);
        assertThat(problem("export-package.zip", Arrays.copyOf(whole, whole.length / 2))).startsWith("not a readable zip archive (");
    }

    @Test
    void otherArtifactsAreTakenAsTheyCome() throws IOException {
        assertThat(problem("export.log", "<html>")).isNull();
        assertThat(problem("tasks/t/reports.ndjson", "{\"a\":1}\n{\"b\"")).isNull();
    }
}
