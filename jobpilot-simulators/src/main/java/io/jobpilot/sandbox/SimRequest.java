package io.jobpilot.sandbox;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** One request to a simulator, with helpers to answer it. */
public final class SimRequest {
    final HttpExchange exchange;
    final String method;
    /** The raw (still encoded) path below the vendor's root, without leading '/'. */
    final String path;
    final Map<String, String> query;
    final String body;
    private final byte[] bodyBytes;
    private Fault deferred;

    SimRequest(HttpExchange exchange, String root) throws IOException {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        String raw = exchange.getRequestURI().getRawPath();
        this.path = raw.length() > root.length() ? raw.substring(root.length()).replaceAll("^/+", "") : "";
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        this.bodyBytes = exchange.getRequestBody().readAllBytes();
        this.body = new String(bodyBytes, StandardCharsets.UTF_8);
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String query(String name) {
        return query.get(name);
    }

    public String body() {
        return body;
    }

    /** The body as it came, for binary uploads (a multipart zip). */
    public byte[] bodyBytes() {
        return bodyBytes.clone();
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** Every header name the request carried, lower case. */
    public java.util.Set<String> headerNames() {
        return exchange.getRequestHeaders().keySet().stream().map(n -> n.toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return q;
    }

    /** Decodes each '/'-separated segment of an encoded path (so "a%2Fb" stays one segment named "a/b"). */
    public static String decodePath(String encoded) {
        return String.join("/", Arrays.stream(encoded.split("/"))
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList());
    }

    /** An after-acting fault: the simulator's answer is held back, then sent or dropped (see {@link Fault#afterActing}). */
    void deferAnswer(Fault fault) {
        this.deferred = fault;
    }

    /** True when the answer was dropped: the caller writes nothing. */
    private boolean holdAnswer() throws IOException {
        if (deferred == null) {
            return false;
        }
        deferred.holding();
        try {
            Thread.sleep(deferred.delayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (deferred.drop) {
            exchange.close();
            return true;
        }
        if (deferred.status != 0) {              // the vendor acted; something else answers (a proxy's page, say)
            Fault replacement = deferred;
            deferred = null;
            send(replacement.status, replacement.contentType, replacement.body.getBytes(StandardCharsets.UTF_8), replacement.headers);
            return true;
        }
        return false;
    }

    public void json(int status, String json) throws IOException {
        send(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Writes a body as it is produced. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Answers with a body of unknown length, streamed (chunked): simulators serve results of any size this way. */
    public void stream(int status, String contentType, BodyWriter writer) throws IOException {
        if (holdAnswer()) {
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = new java.io.BufferedOutputStream(exchange.getResponseBody(), 1 << 16)) {
            writer.write(out);
        }
        exchange.close();
    }

    public void send(int status, String contentType, byte[] bytes, Map<String, String> headers) throws IOException {
        if (holdAnswer()) {
            return;
        }
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        if (status == 204 || bytes.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
