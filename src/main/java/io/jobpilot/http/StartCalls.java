package io.jobpilot.http;

import io.jobpilot.run.RemoteStart;
import io.jobpilot.run.Run;
import io.jobpilot.run.StartIntents;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Set;

/**
 * Which failures of a call the vendor acts on (a start) may be retried. Only those where the request certainly did
 * not reach the vendor's application: no connection was made, or a gateway or rate limiter turned it away (429, 502,
 * 503). A read timeout, a connection reset after sending, or a 504 (the gateway gave up waiting on the vendor, which
 * may have acted) leave the start uncertain: it is reconciled with the vendor, never resent.
 */
public final class StartCalls {
    private static final String ATTEMPTS = "startAttempts";
    private static final Set<Integer> TURNED_AWAY = Set.of(429, 502, 503);
    private static final Set<String> NOT_CONNECTED = Set.of("ConnectTimeoutException", "ConnectionRequestTimeoutException");

    private final int retries;

    public StartCalls(int retries) {
        this.retries = retries;
    }

    /**
     * For the start-retries redelivery policy: the start itself only when it certainly did not arrive, any other call
     * (a read before the start, a login) on any transient failure; with retries left and the run's deadline not passed.
     */
    public boolean retryable(Exchange e) {
        Throwable t = e.getException() != null ? e.getException() : e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean isStart = failedStart(e);
        if (isStart ? !certainlyNotReceived(t) : !(t instanceof TransientHttpException || io(t) != null)) {
            return false;
        }
        int attempts = e.getProperty(ATTEMPTS, 0, Integer.class) + 1;
        Run run = e.getProperty("run", Run.class);
        if (attempts > retries || (run != null && Instant.now().isAfter(run.deadline()))) {
            e.removeProperty(ATTEMPTS);
            return false;
        }
        e.setProperty(ATTEMPTS, attempts);
        return true;
    }

    /** For a start route's doCatch: the request may have reached the vendor and its answer was lost. */
    public boolean answerLost(Exchange e) {
        e.removeProperty(ATTEMPTS);
        Throwable t = e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (!failedStart(e)) {
            return false;          // a login before the start failed: the start was not sent
        }
        return t != null && !certainlyNotReceived(t) && (io(t) != null || isGatewayTimeout(t));
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
