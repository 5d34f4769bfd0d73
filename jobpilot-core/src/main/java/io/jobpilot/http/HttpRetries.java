package io.jobpilot.http;

import io.jobpilot.config.Durations;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunExchange;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.Runs;
import io.jobpilot.run.Secrets;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * Whether a vendor call that failed (5xx, 429, connection trouble) is tried again, for a routeConfiguration's
 * {@code onException}: {@code retryWhile: {ref: httpRetries}}. It is a Predicate referenced as such, not a bean method
 * ({@code method:} would run it on a copy of the exchange and lose the wait and the failure it sets). A call is tried again
 * at most {@code jobpilot.http.retries} times, and only if the wait before the next try (doubling from
 * {@code jobpilot.http.retry-delay} up to {@code jobpilot.http.retry-max-delay}, at least the vendor's Retry-After)
 * ends before the run's deadline. The wait it checked is the one Camel then waits: it is handed over as
 * {@code CamelRedeliveryDelay}. A retryWhile replaces Camel's maximumRedeliveries check, so this bean is the whole
 * policy.
 * <p>
 * When the answer is no, the failure that propagates says why: TRANSIENT naming vendor, step, status and how many
 * tries were made; or, when the deadline cut the retries short, TIMEOUT with outcome TIMED_OUT, as the poll loop
 * reports a deadline.
 * <p>
 * Tries are counted here, per failing request (vendor, step, method and URL), in exchange property {@value #TRIES}:
 * Camel's own count lives in the {@code CamelRedeliveryCounter} header, which http-send must strip (nothing of the
 * caller's message goes to a vendor) and which Camel leaves behind after a retry that succeeded, so the next call of
 * the same exchange would start with a part of its retries spent. Keyed by the request, a count can only carry over
 * to the very same request failing again later in the same exchange: it then gets fewer retries, never more.
 */
public final class HttpRetries implements Predicate {
    public static final String TRIES = "httpTries";

    private final int retries;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Clock clock;

    /** How often one call has failed so far. */
    record Tries(String call, int failures) {
    }

    public HttpRetries(int retries, Duration firstDelay, Duration maxDelay, Clock clock) {
        if (retries < 0) {
            throw new IllegalArgumentException("jobpilot.http.retries must be 0 or more, not " + retries);
        }
        this.retries = retries;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.clock = clock;
    }

    /**
     * Called by Camel's redelivery after each failure of the call: true to try again (after the wait it set), false
     * to give up with the classified failure in place of the one caught.
     */
    public boolean shouldRetry(Exchange exchange) {
        Throwable caught = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        VendorRequest request = exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
        int failures = countFailure(exchange, request);
        if (failures > retries) {
            return giveUp(exchange, exhausted(caught, request, failures));
        }
        Duration wait = waitBefore(failures, caught);
        Run run = RunExchange.run(exchange);
        if (run != null && !clock.instant().plus(wait).isBefore(run.deadline())) {
            return giveUp(exchange, deadlineReached(run, caught, request, failures, wait));
        }
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
        return true;
    }

    @Override
    public boolean matches(Exchange exchange) {
        return shouldRetry(exchange);
    }

    private static int countFailure(Exchange exchange, VendorRequest request) {
        String call = request == null ? "?" : request.vendor() + " " + request.step() + " " + request;
        Tries before = exchange.getProperty(TRIES, Tries.class);
        int failures = before != null && before.call().equals(call) ? before.failures() + 1 : 1;
        exchange.setProperty(TRIES, new Tries(call, failures));   // a new value: split copies never share one
        return failures;
    }

    /** Before retry n (1 = the first): doubling back-off up to the cap, stretched to the vendor's Retry-After. */
    Duration waitBefore(int retry, Throwable caught) {
        long ms = firstDelay.toMillis() << Math.min(retry - 1, 30);
        Duration wait = Duration.ofMillis(Math.min(ms < 0 ? Long.MAX_VALUE : ms, maxDelay.toMillis()));
        TransientHttpException t = find(caught, TransientHttpException.class);
        return t != null && t.retryAfter() != null && t.retryAfter().compareTo(wait) > 0 ? t.retryAfter() : wait;
    }

    /** The failure Camel propagates once redelivery gives up (it restores the exception it caught from this property). */
    private static boolean giveUp(Exchange exchange, RunFailure failure) {
        exchange.setException(failure);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return false;
    }

    private RunFailure exhausted(Throwable caught, VendorRequest request, int tries) {
        String retried = "; gave up after " + tries + (tries == 1 ? " try" : " tries") + " (jobpilot.http.retries=" + retries + ")";
        TransientHttpException t = find(caught, TransientHttpException.class);
        if (t != null) {
            return new RunFailure(ErrorKind.TRANSIENT, t.step(), t.vendorCode(), t.getMessage() + retried, Outcome.FAILED, caught);
        }
        return new RunFailure(ErrorKind.TRANSIENT, request == null ? null : request.step(), null, what(caught, request) + retried,
                Outcome.FAILED, caught);
    }

    private RunFailure deadlineReached(Run run, Throwable caught, VendorRequest request, int tries, Duration wait) {
        TransientHttpException t = find(caught, TransientHttpException.class);
        String step = t != null ? t.step() : request == null ? null : request.step();
        String message = "deadline of " + Durations.format(Duration.between(run.startedAt(), run.deadline()).abs())
                + " reached while retrying '" + step + "': " + what(caught, request) + "; tried " + tries
                + (tries == 1 ? " time" : " times") + " and the next try (in " + Durations.format(wait) + ") would start after "
                + "the deadline; jobpilot resume " + run.runId() + " tries again";
        return new RunFailure(ErrorKind.TIMEOUT, step, t == null ? null : t.vendorCode(), message, Outcome.TIMED_OUT, caught);
    }

    private static String what(Throwable caught, VendorRequest request) {
        TransientHttpException t = find(caught, TransientHttpException.class);
        if (t != null) {
            return t.getMessage();
        }
        IOException io = find(caught, IOException.class);
        return io != null ? Runs.describeIo(io, request)
                : Secrets.scrub(caught == null ? "unknown error" : String.valueOf(caught.getMessage()));
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
