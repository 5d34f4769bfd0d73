package io.jobpilot.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.RunFailure;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vendor's answer: status, headers (lower-case names) and the body: its bytes, or for a spooled request
 * ({@link VendorRequest#spoolTo()}) the file it was streamed to, of which only the start is ever read into memory.
 */
public record VendorResponse(VendorRequest request, int status, Map<String, String> headers, byte[] body, Path bodyFile) {
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
    /** How much of a spooled body error messages and HTML detection look at. */
    private static final int HEAD_BYTES = 64 * 1024;

    public VendorResponse(VendorRequest request, int status, Map<String, String> headers, byte[] body) {
        this(request, status, headers, body, null);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The body as text; of a spooled body, its first 64 KB. */
    public String text() {
        return new String(bodyFile == null ? body == null ? new byte[0] : body : head(), StandardCharsets.UTF_8);
    }

    public InputStream stream() throws IOException {
        return bodyFile == null ? new ByteArrayInputStream(body == null ? new byte[0] : body) : Files.newInputStream(bodyFile);
    }

    private byte[] head() {
        try (InputStream in = Files.newInputStream(bodyFile)) {
            return in.readNBytes(HEAD_BYTES);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    public boolean isHtml() {
        String ct = header("content-type");
        if (ct != null && ct.toLowerCase(Locale.ROOT).contains("html")) {
            return true;
        }
        String start = text().stripLeading().toLowerCase(Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html");
    }

    /** The HTML page's title, for messages about error pages. */
    public String htmlTitle() {
        Matcher m = TITLE.matcher(text());
        return m.find() ? m.group(1).trim().replaceAll("\\s+", " ") : "no title";
    }

    /** The body as JSON, or a PROTOCOL failure naming the vendor, the step and what came instead. */
    public JsonNode json() {
        if (isHtml()) {
            throw malformed("an HTML page (" + htmlTitle() + ") instead of JSON");
        }
        if (bodyFile == null && (body == null || body.length == 0)) {
            throw malformed("an empty body instead of JSON");
        }
        try (InputStream in = stream()) {
            JsonNode node = Json.MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw malformed("an empty body instead of JSON");
            }
            return node;
        } catch (IOException e) {
            throw malformed("malformed JSON (" + firstLine(e.getMessage()) + "): " + snippet());
        }
    }

    public RunFailure malformed(String what) {
        return new RunFailure(ErrorKind.PROTOCOL, request.step(), null,
                request.vendor() + " answered " + what + " at step '" + request.step() + "' (" + request + ", HTTP " + status + ")");
    }

    public String snippet() {
        String t = text().replaceAll("\\s+", " ").trim();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
