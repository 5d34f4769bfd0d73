package io.jobpilot.exago;

import io.jobpilot.http.RetryAfter;
import io.jobpilot.http.TransientHttpException;
import io.jobpilot.http.VendorErrors;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;

import java.time.Instant;
import java.util.Locale;

/**
 * Exago reports most client errors as HTTP 500 with a JSON {@code reason} (vendor-apis.md §4, doc E5). This turns a
 * failed answer into a clear failure: authentication, configuration, session, payload, or REST not enabled. Only 503
 * (the service process is down) is transient; every other 5xx is a definite answer and is not retried.
 */
public final class ExagoErrors {
    private ExagoErrors() {
    }

    /** Throws the classified failure for an answer that is not 2xx JSON; returns for a usable one. */
    public static void requireAccepted(VendorResponse r) {
        if (r.isSuccess() && !r.isHtml()) {
            return;
        }
        throw classify(r);
    }

    static RunFailure classify(VendorResponse r) {
        String step = r.request().step();
        String code = String.valueOf(r.status());
        String what = "Exago answered HTTP " + r.status() + " to '" + step + "' (" + r.request() + ")";
        if (r.status() == 503) {
            return new TransientHttpException(step, 503, RetryAfter.parse(r.header("retry-after"), Instant.now()),
                    what + ": the Exago web service is not running (503)");
        }
        if (r.isHtml()) {
            String page = "an HTML page '" + r.htmlTitle() + "'";
            return r.status() == 404 || r.status() == 405
                    ? new RunFailure(ErrorKind.USAGE, step, code, what + " with " + page + ": wrong method or path; check "
                    + "jobpilot.exago.base-url (the web service root, REST lives under /rest)")
                    : new RunFailure(ErrorKind.VENDOR, step, code, what + " with " + page + ": REST is probably not enabled "
                    + "(<add key=\"ExagoREST\" value=\"True\" /> in the web service's appSettings.config) or "
                    + "jobpilot.exago.base-url is misspelt");
        }
        String reason = VendorErrors.describe(r).message();
        String said = what + ": " + reason;
        String lower = reason.toLowerCase(Locale.ROOT);
        if (r.status() == 401 || r.status() == 403 || lower.contains("unauthorized") || lower.contains("base-64")) {
            return new RunFailure(ErrorKind.AUTHENTICATION, step, code, said + " (authentication: check jobpilot.exago.user-id "
                    + "and jobpilot.exago.rest-key, set in Admin Console > General > Other Settings)");
        }
        if (lower.contains("unable to load configuration")) {
            return new RunFailure(ErrorKind.USAGE, step, code, said + " (configuration: check -p config-name, the config "
                    + "file's case-sensitive name without .xml, and that it is secured with the same REST key)");
        }
        if (lower.contains("setupd is null")) {
            return new RunFailure(ErrorKind.USAGE, step, code, said + " (session: -p sid does not name a live API session; it "
                    + "may have expired or been opened in a browser through its single-use AppUrl)");
        }
        return new RunFailure(ErrorKind.VENDOR, step, code, said + (r.status() >= 500
                ? " (payload: Exago could not process the batch; check each item's Url and Payload JSON)" : ""));
    }
}
