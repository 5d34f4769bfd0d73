package io.jobpilot.iics;

import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorErrors;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;
import org.apache.camel.Exchange;

import java.util.Locale;
import java.util.Set;

/**
 * Classifies IICS error answers. v3 bodies are {@code {"error":{"code","message","requestId"}}} (code may be null),
 * v2 bodies {@code {"code","description","statusCode"}}, where 403 is used for validation and not-found problems
 * too: the vendor code decides, not the HTTP status. Only what is transient is retried: 429 or a "too many requests"
 * message, 502, 503 and 504 (connection errors are retried by the caller).
 */
public final class IicsErrors {
    private static final Set<Integer> TRANSIENT_STATUS = Set.of(429, 502, 503, 504);

    /** For the {@code iics-call} route: throws the classified failure unless the answer is 2xx. */
    public void requireSuccess(Exchange exchange) {
        requireSuccessOf(exchange.getProperty(HttpExchanges.RESPONSE, VendorResponse.class));
    }

    static void requireSuccessOf(VendorResponse r) {
        if (r.isSuccess() || r.status() == 404 && r.request().lookup()) {   // a look-up's 404 is its answer, "nothing there"
            return;
        }
        VendorErrors.Described d = VendorErrors.describe(r);
        String message = describe(r, d);
        if (isTransient(r.status(), d.message())) {
            throw HttpExchanges.transientFailure(r, message);
        }
        throw classify(r, d, message);
    }

    static boolean isTransient(int status, String vendorMessage) {
        return TRANSIENT_STATUS.contains(status)
                || vendorMessage != null && vendorMessage.toLowerCase(Locale.ROOT).contains("too many requests");
    }

    static RunFailure classify(VendorResponse r, VendorErrors.Described d, String message) {
        String step = r.request().step();
        String code = d.code() == null ? String.valueOf(r.status()) : d.code();
        if (r.status() == 401) {
            return new RunFailure(ErrorKind.AUTHENTICATION, step, code, message + " (the session was refused even after a new login; "
                    + "check the user's rights in IICS)");
        }
        return new RunFailure(ErrorKind.VENDOR, step, code, message);
    }

    /** "IICS refused 'start job' (POST .../api/v2/job, HTTP 403): APP_13436 No object named ... exists". */
    static String describe(VendorResponse r, VendorErrors.Described d) {
        VendorRequest q = r.request();
        String text = "IICS refused '" + q.step() + "' (" + q + ", HTTP " + r.status() + "): "
                + (d.code() == null ? "" : d.code() + " ") + d.message();
        if (r.status() == 403 && d.code() != null && q.url().contains(IicsSession.V2_PREFIX)) {
            text += " (IICS answers 403 for invalid or unknown values too: check the parameters named in the message)";
        }
        return text;
    }
}
