package io.jobpilot.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A multipart/form-data body (RFC 7578) written to a file, for {@link VendorRequest#upload}: text fields, then one file
 * part copied in as it is, so an upload of any size is streamed from disk and never held in memory.
 */
public final class Multipart {
    private static final String CRLF = "\r\n";

    private Multipart() {
    }

    /**
     * Writes the body to {@code target}.
     *
     * @param fields text fields sent before the file part
     * @return the Content-Type to send it with (its boundary)
     */
    public static String write(Path target, Map<String, String> fields, String partName, Path file, String fileName,
                               String partContentType) throws IOException {
        String boundary = "jobpilot-" + UUID.randomUUID();
        Files.createDirectories(target.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
            for (Map.Entry<String, String> field : fields.entrySet()) {
                text(out, "--" + boundary + CRLF + "Content-Disposition: form-data; name=\"" + field.getKey() + "\"" + CRLF + CRLF
                        + field.getValue() + CRLF);
            }
            text(out, "--" + boundary + CRLF + "Content-Disposition: form-data; name=\"" + partName + "\"; filename=\""
                    + fileName.replace("\"", "_") + "\"" + CRLF + "Content-Type: " + partContentType + CRLF + CRLF);
            Files.copy(file, out);
            text(out, CRLF + "--" + boundary + "--" + CRLF);
        }
        return "multipart/form-data; boundary=" + boundary;
    }

    private static void text(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
