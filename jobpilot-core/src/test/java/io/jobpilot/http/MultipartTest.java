package io.jobpilot.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MultipartTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFieldsThenTheFileAsItIs() throws Exception {
        byte[] zip = {'P', 'K', 3, 4, 0, (byte) 0xff, 13, 10, '-', '-'};
        Path file = Files.write(dir.resolve("export.zip"), zip);

        String contentType = Multipart.write(dir.resolve("body"), Map.of("relaxChecksum", "true"), "package", file, "export.zip",
                "application/zip");

        String boundary = contentType.substring("multipart/form-data; boundary=".length());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"relaxChecksum\"\r\n\r\ntrue\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"package\"; filename=\"export.zip\"\r\nContent-Type: application/zip\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(zip);
        expected.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readAllBytes(dir.resolve("body"))).isEqualTo(expected.toByteArray());
    }
}
