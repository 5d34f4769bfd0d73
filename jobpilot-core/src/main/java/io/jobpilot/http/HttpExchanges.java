package io.jobpilot.http;

import io.jobpilot.run.Artifacts;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RemoteCall;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunExchange;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.RunTakenOver;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Java half of the shared {@code http-send} and vendor {@code *-call} routes: puts a {@link VendorRequest}
 * onto a clean message, captures the answer as a {@link VendorResponse}, and classifies failures.
 * Exchange properties used: {@code request} in, {@code response} out.
 */
public final class HttpExchanges {
    /** The run's code reads the request in flight from the same property, as a {@link RemoteCall}. */
    public static final String REQUEST = RunExchange.REQUEST;
    public static final String RESPONSE = RunExchange.RESPONSE;
    /** The registry name of jobpilot's own HTTP component (automatic retries and redirects off), used by http-send. */
    public static final String COMPONENT = "jobpilot-http";
    /** The endpoint's connect and response timeout for this call, in ms (properties the http-send route reads). */
    public static final String CONNECT_TIMEOUT_MS = RunExchange.HTTP_CONNECT_TIMEOUT_MS;
    public static final String RESPONSE_TIMEOUT_MS = RunExchange.HTTP_RESPONSE_TIMEOUT_MS;

    private final io.jobpilot.run.Metrics metrics;
    private final Map<String, Long> configuredMs = new java.util.concurrent.ConcurrentHashMap<>();

    public HttpExchanges(io.jobpilot.run.Metrics metrics) {
        this.metrics = metrics;
    }

    public HttpExchanges() {
        this(io.jobpilot.run.Metrics.none());
    }

    /** Called right after {@code removeHeaders: "*"}: only what the vendor needs goes out. */
    public void prepare(Exchange exchange) {
        VendorRequest request = exchange.getProperty(REQUEST, VendorRequest.class);
        if (request == null) {
            throw new IllegalStateException("http-send called without a 'request' property");
        }
        Run run = RunExchange.run(exchange);
        if (run != null && !run.checkHeld()) {
            throw new RunTakenOver(run.lostTo());   // its new owner sends what is to be sent
        }
        Message in = exchange.getMessage();
        exchange.removeProperty(Exchange.CHARSET_NAME);   // a previous answer's charset would be added to Content-Type
        // as camel-http's own enum: a String is converted on every call, through a type-converter lookup that misses
        in.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(request.method()));
        in.setHeader(Exchange.HTTP_URI, request.url());
        request.headers().forEach(in::setHeader);
        in.setBody(request.bodyFile() != null ? request.bodyFile().toFile() : request.body());   // a File streams
        exchange.setProperty(CONNECT_TIMEOUT_MS, timeoutMs(exchange, request, "{{jobpilot.internal.http-connect-timeout-ms}}"));
        exchange.setProperty(RESPONSE_TIMEOUT_MS, timeoutMs(exchange, request, "{{jobpilot.internal.http-response-timeout-ms}}"));
    }

    /** The request's own timeout, else the configured one (resolved once: a placeholder costs a lookup every call). */
    private long timeoutMs(Exchange exchange, VendorRequest request, String configured) {
        return request.timeout() != null ? request.timeout().toMillis() : configuredMs.computeIfAbsent(configured,
                c -> Long.parseLong(exchange.getContext().resolvePropertyPlaceholders(c)));
    }

    /** Called right after the HTTP endpoint: the answer moves to the {@code response} property; the message is emptied. */
    public void capture(Exchange exchange) throws IOException {
        VendorRequest request = exchange.getProperty(REQUEST, VendorRequest.class);
        Message msg = exchange.getMessage();
        Integer status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[] {"Content-Type", "Retry-After", "Authorization", "Location", "Content-Length"}) {
            String v = msg.getHeader(name, String.class);
            if (v != null) {
                headers.put(name.toLowerCase(Locale.ROOT), v);
            }
        }
        int code = status == null ? 0 : status;
        if (request.isSpooled()) {
            exchange.setProperty(RESPONSE, spooled(request, code, headers, msg));
        } else {
            exchange.setProperty(RESPONSE, new VendorResponse(request, code, headers, readBody(msg)));
        }
        msg.getHeaders().clear();
        msg.setBody(null);
    }

    /**
     * The whole answer, read once straight from the connection into the array the response keeps. The endpoint runs
     * with disableStreamCache: the stream cache would copy an answer above camel-http's 8 KB threshold into a cache
     * (spooled to a temp file above 128 KB, a report page among them) only for it to be read back into an array here.
     */
    private static byte[] readBody(Message msg) throws IOException {
        Object body = msg.getBody();
        if (body instanceof InputStream stream) {
            try (InputStream in = stream) {
                Long length = msg.getHeader("Content-Length", Long.class);
                if (length == null || length < 0 || length > Integer.MAX_VALUE - 8) {
                    return in.readAllBytes();
                }
                byte[] exact = new byte[length.intValue()];   // the usual case: one array, no growing and copying
                int read = in.readNBytes(exact, 0, exact.length);
                return read == exact.length ? exact : java.util.Arrays.copyOf(exact, read);   // cut short: the caller judges
            }
        }
        return body == null ? null : msg.getBody(byte[].class);
    }

    /**
     * A spooled request's answer (the endpoint ran with disableStreamCache: nothing was buffered): one that ends
     * within {@link VendorResponse#HEAD_BYTES} stays in memory (a status answer needs no file write); a longer one is
     * streamed to the file (under a temporary name, renamed into place), so memory stays flat whatever its size.
     */
    private static VendorResponse spooled(VendorRequest request, int code, Map<String, String> headers, Message msg)
            throws IOException {
        try (InputStream in = msg.getBody(InputStream.class)) {
            InputStream body = in == null ? InputStream.nullInputStream() : in;
            byte[] head = body.readNBytes(VendorResponse.HEAD_BYTES);
            if (head.length < VendorResponse.HEAD_BYTES) {
                return new VendorResponse(request, code, headers, head);
            }
            Artifacts.write(request.spoolTo(), new SequenceInputStream(new ByteArrayInputStream(head), body));
            return new VendorResponse(request, code, headers, null, request.spoolTo());
        }
    }

    /** The status code of the captured response, for route predicates. */
    public int status(Exchange exchange) {
        VendorResponse r = exchange.getProperty(RESPONSE, VendorResponse.class);
        return r == null ? 0 : r.status();
    }

    /**
     * A failure worth retrying, with the vendor's Retry-After for whoever retries it: the poll loop and
     * {@link HttpRetries} read it from {@link TransientHttpException#retryAfter()}.
     */
    public static TransientHttpException transientFailure(VendorResponse r, String message) {
        return new TransientHttpException(r.request().step(), r.status(), RetryAfter.parse(r.header("retry-after"), Instant.now()),
                message);
    }

    /**
     * Throws a classified failure unless the response is 2xx (or a look-up's 404, {@link VendorRequest#asLookup}): 429
     * and 5xx are transient (with Retry-After), 401 is authentication, the rest is the vendor refusing with its own code
     * and message.
     */
    public void requireSuccess(Exchange exchange) {
        VendorResponse r = exchange.getProperty(RESPONSE, VendorResponse.class);
        VendorRequest q = r.request();
        if (r.isSuccess() || r.status() == 404 && q.lookup()) {
            return;
        }
        metrics.httpError(q.vendor(), r.status());
        VendorErrors.Described d = VendorErrors.describe(r);
        String what = q.vendor() + " answered HTTP " + r.status() + " to '" + q.step() + "' (" + q + ")";
        if (r.status() == 429 || r.status() >= 500) {
            throw transientFailure(r, what + ": " + d.message());
        }
        if (r.status() == 401) {
            throw new RunFailure(ErrorKind.AUTHENTICATION, q.step(), d.code(), what + ": " + d.message()
                    + " (check the connection's credentials)");
        }
        throw new RunFailure(ErrorKind.VENDOR, q.step(), d.code() == null ? String.valueOf(r.status()) : d.code(),
                what + ": " + (d.code() == null ? "" : d.code() + " ") + d.message());
    }
}
