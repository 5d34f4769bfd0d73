package io.jobpilot.http;

import io.jobpilot.run.RemoteStart;
import io.jobpilot.run.StartIntents;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Which failures of a call the vendor acts on (a start) may be retried. Only those where the request certainly did
 * not reach the vendor's application: no connection was made, or a gateway or rate limiter turned it away (429, 502,
 * 503). A read timeout, a connection reset after sending, or a 504 (the gateway gave up waiting on the vendor, which
 * may have acted) leave the start uncertain: it is reconciled with the vendor, never resent.
 */
public final class StartCalls implements Predicate {
    private static final Set<Integer> TURNED_AWAY = Set.of(429, 502, 503);
    private static final Set<String> NOT_CONNECTED = Set.of("ConnectTimeoutException", "ConnectionRequestTimeoutException");

    private final HttpRetries retries;

    public StartCalls(HttpRetries retries) {
        this.retries = retries;
    }

    /**
     * For the start-retries redelivery policy ({@code retryWhile: {ref: startCalls}}, a Predicate so it sees the exchange
     * itself): the start only when it certainly did not arrive, any other call of the start step (a read before it, a
     * login) on any transient failure; both within jobpilot.http.retries and the run's deadline ({@link HttpRetries}).
     */
    @Override
    public boolean matches(Exchange e) {
        Throwable t = e.getException() != null ? e.getException() : e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failedStart(e) && !certainlyNotReceived(t)) {
            return false;
        }
        return retries.shouldRetry(e);
    }

    /** For a start route's doCatch: the request may have reached the vendor and its answer was lost. */
    public boolean answerLost(Exchange e) {
        Throwable t = e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (!failedStart(e)) {
            return false;          // a login before the start failed: the start was not sent
        }
        return t != null && !certainlyNotReceived(t) && (io(t) != null || isGatewayTimeout(t));
    }

    /**
     * For the start-call route: a 2xx answer that is an HTML page is not the vendor's answer (a proxy's or a login
     * page): whether the vendor acted is unknown, as if the answer had been lost.
     */
    public boolean answerUnreadable(Exchange e) {
        VendorResponse r = e.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
        return r != null && r.isSuccess() && r.isHtml();
    }

    /** The request that failed is the start itself (its step is the one of property {@code start}). */
    private static boolean failedStart(Exchange e) {
        VendorRequest failed = e.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
        RemoteStart start = e.getProperty(StartIntents.START, RemoteStart.class);
        return failed != null && start != null && failed.step().equals(start.step());
    }

    static boolean certainlyNotReceived(Throwable t) {
        if (t instanceof TransientHttpException h) {
            return TURNED_AWAY.contains(h.status());
        }
        IOException io = io(t);
        return io instanceof ConnectException || io instanceof UnknownHostException || io instanceof NoRouteToHostException
                || (io != null && NOT_CONNECTED.contains(io.getClass().getSimpleName()));
    }

    private static boolean isGatewayTimeout(Throwable t) {
        return t instanceof TransientHttpException h && h.status() == 504;
    }

    private static IOException io(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
        }
        return null;
    }
}
