package io.jobpilot.http;

import io.jobpilot.run.RemoteCall;
import io.jobpilot.run.Secrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call to a vendor API, built by a vendor bean and sent by the shared {@code direct:http-send} route.
 *
 * @param vendor  display name for messages ("1Integrate")
 * @param step    what this call is for, named in every error ("get session status")
 * @param url     the full, already encoded URL
 * @param spoolTo null: the answer is read into memory; a file: the answer is streamed to it (large results), so
 *                memory stays flat however big it is
 * @param timeout connect and response timeout of this call; null: {@code jobpilot.http.connect-timeout} and
 *                {@code jobpilot.http.response-timeout}
 * @param lookup  a look-up: a 404 answers "nothing there" and is not a failure ({@link HttpExchanges#requireSuccess})
 * @param bodyFile null, or a file sent as the body instead of {@code body}, streamed (an upload of any size)
 */
public record VendorRequest(String vendor, String step, String method, String url, Map<String, String> headers, String body,
                            Path spoolTo, Duration timeout, boolean lookup, Path bodyFile) implements RemoteCall {

    public VendorRequest {
        headers = Map.copyOf(headers);
    }

    public VendorRequest(String vendor, String step, String method, String url, Map<String, String> headers, String body) {
        this(vendor, step, method, url, headers, body, null, null, false, null);
    }

    public static VendorRequest get(String vendor, String step, String url) {
        return new VendorRequest(vendor, step, "GET", url, Map.of("Accept", "application/json"), null);
    }

    public static VendorRequest json(String vendor, String step, String method, String url, String body) {
        return new VendorRequest(vendor, step, method, url,
                Map.of("Accept", "application/json", "Content-Type", "application/json"), body);
    }

    public VendorRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new VendorRequest(vendor, step, method, url, h, body, spoolTo, timeout, lookup, bodyFile);
    }

    public VendorRequest withUrl(String newUrl) {
        return new VendorRequest(vendor, step, method, newUrl, headers, body, spoolTo, timeout, lookup, bodyFile);
    }

    /** An answer longer than 64 KB goes to this file as it arrives instead of into memory (a shorter one stays in memory). */
    public VendorRequest spooledTo(Path file) {
        return new VendorRequest(vendor, step, method, url, headers, body, file, timeout, lookup, bodyFile);
    }

    /** This call's own connect and response timeout instead of the configured ones. */
    public VendorRequest withTimeout(Duration t) {
        return new VendorRequest(vendor, step, method, url, headers, body, spoolTo, t, lookup, bodyFile);
    }

    /** This call looks something up: a 404 is its answer ("nothing there"), for the caller to read, not a failure. */
    public VendorRequest asLookup() {
        return new VendorRequest(vendor, step, method, url, headers, body, spoolTo, timeout, true, bodyFile);
    }

    /** {@code file} is the body (of this content type), read as it is sent: an upload is never whole in memory. */
    public static VendorRequest upload(String vendor, String step, String url, Path file, String contentType) {
        return new VendorRequest(vendor, step, "POST", url, Map.of("Accept", "application/json", "Content-Type", contentType), null,
                null, null, false, file);
    }

    /** For HttpExchanges#capture: an answer longer than 64 KB goes to {@link #spoolTo()} instead of into memory. */
    public boolean isSpooled() {
        return spoolTo != null;
    }

    /** Safe for retry: GETs, and anything the workflow marks as idempotent by design. */
    public boolean isIdempotent() {
        return "GET".equals(method) || "HEAD".equals(method) || "DELETE".equals(method) || "PUT".equals(method);
    }

    @Override
    public String toString() {
        return method + " " + Secrets.scrub(url);
    }
}
