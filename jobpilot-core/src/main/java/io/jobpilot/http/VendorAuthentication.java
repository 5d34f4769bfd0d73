package io.jobpilot.http;

import org.apache.camel.Exchange;

/**
 * A vendor whose calls carry a credential that a login call obtains (a 1Integrate token, an IICS session). The route
 * template {@code jobpilot-authenticated-call} (routes/jobpilot-shared.camel.yaml) is the one algorithm: log in when
 * there is no usable credential, send the call with it, and after a 401 log in once more and send it again.
 */
public interface VendorAuthentication {
    /** No credential yet, or one too close to expiry (or idle too long) to use. */
    boolean needsLogin();

    /** Puts the login call in property {@code request}, keeping the pending call aside for {@link #accept}. */
    void loginRequest(Exchange exchange);

    /** Reads the credential from the login's answer (property {@code response}) and restores the pending call. */
    void accept(Exchange exchange);

    /** Adds the credential to the call in property {@code request}. */
    void authorize(Exchange exchange);

    /** The vendor refused the credential (401): the next call logs in first. */
    void invalidate();
}
