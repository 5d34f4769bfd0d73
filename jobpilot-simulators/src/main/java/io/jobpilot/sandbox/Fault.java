package io.jobpilot.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One injected fault: for requests whose method and path (below the vendor's root, e.g. {@code results/.+/status})
 * match, answer with a status, an HTML page or a malformed body, delay, or drop the connection; {@code times} times
 * (-1: always). Built fluently: {@code Fault.on("GET", "results/.+/status").status(503).times(2)}.
 */
public final class Fault {
    final String method;
    final Pattern path;
    final AtomicInteger remaining;
    int status;
    String body;
    String contentType = "application/json";
    final Map<String, String> headers = new LinkedHashMap<>();
    long delayMs;
    boolean drop;
    boolean afterActing;
    private final AtomicInteger held = new AtomicInteger();

    private Fault(String method, String pathRegex) {
        this.method = method;
        this.path = Pattern.compile(pathRegex);
        this.remaining = new AtomicInteger(1);
    }

    public static Fault on(String method, String pathRegex) {
        return new Fault(method, pathRegex);
    }

    public Fault times(int n) {
        remaining.set(n);
        return this;
    }

    public Fault always() {
        return times(-1);
    }

    public Fault status(int code) {
        this.status = code;
        if (body == null) {
            body = "{\"message\":\"injected fault: HTTP " + code + "\"}";
        }
        return this;
    }

    public Fault retryAfter(int seconds) {
        headers.put("Retry-After", String.valueOf(seconds));
        return this;
    }

    public Fault body(String contentType, String text) {
        this.contentType = contentType;
        this.body = text;
        return this;
    }

    /** A 200 whose body is not valid JSON. */
    public Fault malformed() {
        status = 200;
        return body("application/json", "{\"status\": \"Runn");
    }

    /** An HTML error page, as proxies and misconfigured servers send. */
    public Fault html(int code) {
        status = code;
        return body("text/html", "<!DOCTYPE html><html><head><title>" + code + " Internal Server Error</title></head>"
                + "<body><h1>Something went wrong</h1></body></html>");
    }

    public Fault delay(long ms) {
        this.delayMs = ms;
        return this;
    }

    /**
     * The simulator acts on the request first (creates, plays, starts), then the fault applies to its answer: held back
     * for {@link #delay}, dropped, or replaced by the fault's status and body. The vendor did the work; the client never
     * hears of it.
     */
    public Fault afterActing() {
        this.afterActing = true;
        return this;
    }

    /** How many answers this fault has held back or dropped after the simulator acted: tests wait on it. */
    public int held() {
        return held.get();
    }

    void holding() {
        held.incrementAndGet();
    }

    /** Close the connection without answering. */
    public Fault drop() {
        this.drop = true;
        return this;
    }

    boolean matches(String m, String p) {
        return (method == null || method.equalsIgnoreCase(m)) && path.matcher(p).matches();
    }

    /** Consumes one use; false when used up. */
    boolean take() {
        while (true) {
            int n = remaining.get();
            if (n == 0) {
                return false;
            }
            if (n < 0 || remaining.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    boolean isPassThrough() {
        return status == 0 && !drop;
    }
}
