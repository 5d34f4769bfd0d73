package io.jobpilot.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.RunFailure;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A vendor's answer: status, headers (lower-case names) and the body bytes. */
public record VendorResponse(VendorRequest request, int status, Map<String, String> headers, byte[] body) {
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String text() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    public InputStream stream() {
        return new ByteArrayInputStream(body == null ? new byte[0] : body);
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
        if (body == null || body.length == 0) {
            throw malformed("an empty body instead of JSON");
        }
        try {
            return Json.MAPPER.readTree(body);
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
