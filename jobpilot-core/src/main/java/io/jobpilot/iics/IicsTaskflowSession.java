package io.jobpilot.iics;

import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorAuthentication;
import io.jobpilot.http.VendorRequest;
import org.apache.camel.Exchange;

/**
 * The IICS session for taskflow calls, which live on the pod root rather than under the API roots
 * (shared/reference/vendor-apis-more.md a): {@code <pod root>/active-bpel/...}, where the pod root is the session's
 * serverUrl (baseApiUrl after a v3 login) without its trailing {@code /saas}
 * ({@code https://na1.dm-us.informaticacloud.com/saas} gives
 * {@code https://na1.dm-us.informaticacloud.com}). Logging in is {@link IicsSession}'s, so both kinds of call share
 * one session. Two things are UNCONFIRMED and so configurable: whether a taskflow can live on another host (a
 * {@code -cai} host, {@code jobpilot.iics.taskflow-base-url}), and which header {@code /active-bpel/rt} takes the
 * session id in ({@code jobpilot.iics.taskflow-session-header}, default {@code INFA-SESSION-ID}: the most clients).
 */
public final class IicsTaskflowSession implements VendorAuthentication {
    private final IicsSession session;
    private final String baseUrl;
    private final String header;

    /** @param baseUrl the taskflows' host instead of the pod root, or null */
    public IicsTaskflowSession(IicsSession session, String baseUrl, String header) {
        this.session = session;
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.replaceAll("/+$", "");
        this.header = header;
    }

    @Override
    public boolean needsLogin() {
        return session.needsLogin();
    }

    @Override
    public void loginRequest(Exchange exchange) {
        session.loginRequest(exchange);
    }

    @Override
    public void accept(Exchange exchange) {
        session.accept(exchange);
    }

    /** The pending call (its URL relative to the pod root: /active-bpel/...) on the pod root, with the session header. */
    @Override
    public void authorize(Exchange exchange) {
        VendorRequest pending = exchange.getProperty(IicsSession.PENDING, VendorRequest.class);
        IicsSession.Current current = session.use();
        String root = baseUrl != null ? baseUrl : podRoot(current.serverUrl());
        exchange.setProperty(HttpExchanges.REQUEST, pending.withUrl(root + pending.url()).withHeader(header, current.sessionId()));
    }

    @Override
    public void invalidate() {
        session.invalidate();
    }

    /** serverUrl without its trailing /saas. */
    static String podRoot(String serverUrl) {
        return serverUrl.replaceAll("/saas/*$", "");
    }
}
