package io.jobpilot.iics;

import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.Artifacts;
import io.jobpilot.run.Run;
import org.apache.camel.Exchange;

import java.io.IOException;

/** What the IICS workflow beans read from and put on an exchange. */
final class IicsExchange {
    private IicsExchange() {
    }

    /** The next call for {@code direct:iics-call}, its URL relative to baseApiUrl. */
    static void call(Exchange e, VendorRequest request) {
        e.setProperty(IicsSession.PENDING, request);
    }

    static VendorResponse response(Exchange e) {
        return e.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
    }

    /** Writes an artifact of the run atomically and lists it in run.json. */
    static void save(Run run, String file, byte[] content) throws IOException {
        Artifacts.write(run.file(file), content);
        run.artifact(file);
    }
}
