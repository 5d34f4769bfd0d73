package io.jobpilot.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Artifacts;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.Secrets;

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
    /** How much of a spooled body error messages and HTML detection look at; a shorter answer is kept in memory. */
    static final int HEAD_BYTES = 64 * 1024;
    /** How much of a body HTML detection reads: a page starts with its doctype or html tag, and a report page can be large. */
    private static final int SNIFF_BYTES = 1024;

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
        byte[] start = bodyFile != null ? head() : body == null ? new byte[0] : body;
        String text = new String(start, 0, Math.min(start.length, SNIFF_BYTES), StandardCharsets.UTF_8).stripLeading()
                .toLowerCase(Locale.ROOT);
        return text.startsWith("<!doctype html") || text.startsWith("<html");
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

    /**
     * Saves this answer as the run's artifact {@code name} (written, or for a spooled answer moved, into place) once
     * it is what the name says ({@link Artifacts#problemWith}: JSON that parses, a zip that opens). Otherwise nothing
     * is saved and the run fails saying what came back: content type, size and how it starts.
     */
    public void saveAs(Run run, String name) throws IOException {
        Path target = run.file(name);
        Path content = bodyFile != null ? bodyFile : Artifacts.tempFor(target);
        if (bodyFile == null) {
            Files.write(content, body == null ? new byte[0] : body);
        }
        String problem = Artifacts.problemWith(content, name);
        if (problem != null) {
            String seen = describeContent(content);
            Files.deleteIfExists(content);
            throw malformed(seen + ", " + problem + ", instead of " + name + " (not saved)");
        }
        Artifacts.moveIntoPlace(content, target);
        run.artifact(name);
    }

    /** "text/html, 104 bytes starting '<!DOCTYPE html>...'": what an answer was, with nothing secret in it. */
    private String describeContent(Path content) throws IOException {
        long size = Files.size(content);
        String type = header("content-type") == null ? "no content type" : header("content-type");
        if (size == 0) {
            return type + ", an empty body";
        }
        byte[] start;
        try (InputStream in = Files.newInputStream(content)) {
            start = in.readNBytes(48);
        }
        return type + ", " + size + " bytes starting " + summarise(start) + (size > start.length ? "…" : "");
    }

    /** Text as a quoted snippet (secrets masked); anything else as hex. */
    static String summarise(byte[] start) {
        String text = new String(start, StandardCharsets.UTF_8).replaceAll("\uFFFD$", "");   // a character cut at the end
        boolean printable = text.chars().allMatch(c -> c >= 0x20 && c != 0xFFFD || c == '\n' || c == '\r' || c == '\t');
        if (printable) {
            return "'" + Secrets.scrub(text.replaceAll("\\s+", " ")) + "'";
        }
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < Math.min(start.length, 16); i++) {
            hex.append(String.format("%02x", start[i] & 0xff));
        }
        return hex.toString();
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
