package io.jobpilot.serve;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static io.jobpilot.http.JsonReplies.error;
import static io.jobpilot.http.JsonReplies.reply;

/**
 * serve's web page of runs: {@code /} (the runs list), {@code /runs/{runId}} (one run) and their scripts and styles
 * under {@code /assets/}, static files from the jar's {@code jobpilot/web/}. They hold no data and no secret: the page
 * reads everything it shows from /api with the token the user gives it, so they are served without the token (a
 * browser cannot send one when it opens an address), and with headers that keep other sites' scripts and frames out.
 */
public final class WebPage {
    private static final String FOLDER = "jobpilot/web/";
    /** The names an asset can have: no folders, so nothing else of the classpath is reachable. */
    private static final Pattern ASSET = Pattern.compile("[a-z][a-z0-9-]*\\.(css|js|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml");
    /** Scripts, styles and calls only to this server, never inline; no framing (clickjacking a Stop button), no referrer. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    /** The files found so far (a name that is not there is not kept: any number of names can be asked for). */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** GET / */
    public void runs(Exchange exchange) {
        send(exchange, "runs.html");
    }

    /** GET /runs/{runId}: the page reads the run id from its address. */
    public void run(Exchange exchange) {
        send(exchange, "run.html");
    }

    /** GET /assets/{name} */
    public void asset(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        if (name == null || !ASSET.matcher(name).matches()) {
            reply(exchange, 404, error("no asset '" + name + "'"));
            return;
        }
        send(exchange, name);
    }

    private void send(Exchange exchange, String name) {
        Optional<byte[]> content = Optional.ofNullable(files.get(name)).or(() -> load(name));
        content.ifPresent(bytes -> files.putIfAbsent(name, bytes));
        if (content.isEmpty()) {
            reply(exchange, 404, error("no asset '" + name + "'"));
            return;
        }
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        m.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("X-Frame-Options", "DENY");
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setBody(content.get());
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web page's " + name + " from the jar", e);
        }
    }
}
