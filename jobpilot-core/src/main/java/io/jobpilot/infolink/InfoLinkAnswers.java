package io.jobpilot.infolink;

import io.jobpilot.http.RetryAfter;
import io.jobpilot.http.TransientHttpException;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;

/**
 * Judges an InfoLink answer by its envelope whatever the HTTP code (vendor-apis.md §5: error envelopes may come with
 * HTTP 200): {@code error} ends the run with {@code result.message}; 429 and 502-504 are transient; an answer that
 * is not an envelope is classified by its HTTP status.
 */
public final class InfoLinkAnswers {
    private InfoLinkAnswers() {
    }

    /** The envelope, success or error; anything that is not an envelope (or is transient) throws. */
    public static InfoLinkEnvelope read(VendorResponse r) {
        InfoLinkEnvelope envelope = r.isHtml() ? null : readQuietly(r);
        boolean busy = r.status() == 429 || r.status() == 502 || r.status() == 503 || r.status() == 504;
        if (busy || (r.status() >= 500 && (envelope == null || !envelope.isEnvelope()))) {
            throw new TransientHttpException(r.request().step(), r.status(), RetryAfter.parse(r.header("retry-after"), Instant.now()),
                    what(r) + (envelope != null && envelope.message() != null ? ": " + envelope.message() : ""));
        }
        if (envelope == null || !envelope.isEnvelope()) {
            if (r.status() == 401 || r.status() == 403) {
                throw new RunFailure(ErrorKind.AUTHENTICATION, r.request().step(), String.valueOf(r.status()), what(r)
                        + " (check jobpilot.infolink.api-key)");
            }
            if (!r.isSuccess() && !r.isHtml()) {
                throw new RunFailure(ErrorKind.VENDOR, r.request().step(), String.valueOf(r.status()), what(r) + ": " + r.snippet());
            }
            throw r.malformed(r.isHtml() ? "an HTML page (" + r.htmlTitle() + ") instead of its JSON envelope"
                    : "no {\"status\",\"result\"} envelope: " + r.snippet());
        }
        return envelope;
    }

    /** A success envelope; an error envelope ends the run with InfoLink's message. */
    public static InfoLinkEnvelope require(VendorResponse r) {
        InfoLinkEnvelope envelope = read(r);
        if (envelope.isError()) {
            String message = envelope.message() == null ? "no message" : envelope.message();
            String lower = message.toLowerCase(Locale.ROOT);
            boolean auth = lower.contains("apikey") || lower.contains("api key") || lower.contains("unauthori")
                    || lower.contains("authenticat");
            throw new RunFailure(auth ? ErrorKind.AUTHENTICATION : ErrorKind.VENDOR, r.request().step(), "error", what(r)
                    + " with status 'error': " + message + (auth ? " (check jobpilot.infolink.api-key)" : ""));
        }
        if (!envelope.isSuccess()) {
            throw r.malformed("an envelope with status '" + envelope.status() + "' (expected success or error)");
        }
        return envelope;
    }

    /** Which answer an error is about; made only for an error (it scrubs the URL, too dear for every poll). */
    private static String what(VendorResponse r) {
        return "InfoLink answered HTTP " + r.status() + " to '" + r.request().step() + "' (" + r.request() + ")";
    }

    private static InfoLinkEnvelope readQuietly(VendorResponse r) {
        try (InputStream in = r.stream()) {
            return InfoLinkEnvelope.read(in);
        } catch (IOException e) {
            return null;
        }
    }
}
