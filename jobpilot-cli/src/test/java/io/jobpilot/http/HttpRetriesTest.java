package io.jobpilot.http;

import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.RunRequest;
import io.jobpilot.support.MutableClock;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The retry decision: how many tries, how long each wait, and what the run is told when it gives up. */
class HttpRetriesTest {
    private static final VendorRequest SESSION = VendorRequest.get("1Integrate", "get session", "http://h/rest/sessions/a");
    private static final VendorRequest SUMMARY = VendorRequest.get("1Integrate", "get summary of task t", "http://h/rest/results/a/task");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    private Exchange failed(VendorRequest request, Exception failure, Duration timeout) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.setProperty(HttpExchanges.REQUEST, request);
        e.setProperty("run", new Run(RunRequest.of("oneintegrate-session", Map.of("path", "a")), "r1", Path.of("runs/r1"),
                Instant.now(), timeout, false));
        e.setException(failure);
        return e;
    }

    private static TransientHttpException unavailable(VendorRequest q, Duration retryAfter) {
        return new TransientHttpException(q.step(), 503, retryAfter, "1Integrate answered HTTP 503 to '" + q.step() + "' (" + q + ")");
    }

    private static long wait(Exchange e) {
        return e.getMessage().getHeader(Exchange.REDELIVERY_DELAY, Long.class);
    }

    @Test
    void triesAtMostRetriesTimesWithDoublingWaitsThenNamesTheTries() {
        HttpRetries retries = new HttpRetries(3, Duration.ofMillis(100), Duration.ofMillis(250), clock);
        Exchange e = failed(SESSION, unavailable(SESSION, null), Duration.ofHours(1));

        assertThat(retries.shouldRetry(e)).isTrue();
        assertThat(wait(e)).isEqualTo(100);
        assertThat(retries.shouldRetry(e)).isTrue();
        assertThat(wait(e)).isEqualTo(200);
        assertThat(retries.shouldRetry(e)).isTrue();
        assertThat(wait(e)).isEqualTo(250);
        assertThat(retries.shouldRetry(e)).isFalse();

        RunFailure f = (RunFailure) e.getProperty(Exchange.EXCEPTION_CAUGHT);
        assertThat(e.getException()).isSameAs(f);
        assertThat(f.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(f.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(f.step()).isEqualTo("get session");
        assertThat(f.vendorCode()).isEqualTo("503");
        assertThat(f.getMessage()).contains("1Integrate answered HTTP 503 to 'get session'")
                .endsWith("gave up after 4 tries (jobpilot.http.retries=3)");
    }

    @Test
    void everyCallHasItsOwnRetriesEvenAfterAnotherOneNeededSome() {
        HttpRetries retries = new HttpRetries(1, Duration.ofMillis(10), Duration.ofMillis(10), clock);
        Exchange e = failed(SESSION, unavailable(SESSION, null), Duration.ofHours(1));
        assertThat(retries.shouldRetry(e)).isTrue();          // the session then answered

        e.setProperty(HttpExchanges.REQUEST, SUMMARY);
        e.setException(unavailable(SUMMARY, null));
        assertThat(retries.shouldRetry(e)).as("the summary's first failure").isTrue();
        assertThat(retries.shouldRetry(e)).isFalse();
    }

    @Test
    void retryAfterStretchesTheWait() {
        HttpRetries retries = new HttpRetries(5, Duration.ofMillis(100), Duration.ofSeconds(1), clock);
        Exchange e = failed(SESSION, unavailable(SESSION, Duration.ofSeconds(7)), Duration.ofHours(1));

        assertThat(retries.shouldRetry(e)).isTrue();
        assertThat(wait(e)).isEqualTo(7000);
    }

    @Test
    void noRetryWhoseWaitEndsPastTheDeadlineAndTheRunTimesOut() {
        HttpRetries retries = new HttpRetries(100, Duration.ofSeconds(1), Duration.ofSeconds(1), clock);
        Exchange e = failed(SESSION, new ConnectException("Connection refused"), Duration.ofMinutes(10));
        clock.set(Instant.now());
        assertThat(retries.shouldRetry(e)).isTrue();

        clock.advance(Duration.ofMinutes(10).minusMillis(500));
        assertThat(retries.shouldRetry(e)).isFalse();
        RunFailure f = (RunFailure) e.getException();
        assertThat(f.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(f.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(f.getMessage()).startsWith("deadline of 10m reached while retrying 'get session': 1Integrate could not be "
                + "reached at step 'get session' (GET http://h/rest/sessions/a): connection refused")
                .contains("tried 2 times").endsWith("jobpilot resume r1 tries again");
    }

    @Test
    void noRetriesConfiguredMeansOneTry() {
        HttpRetries retries = new HttpRetries(0, Duration.ofMillis(10), Duration.ofMillis(10), clock);
        Exchange e = failed(SESSION, unavailable(SESSION, null), Duration.ofHours(1));

        assertThat(retries.shouldRetry(e)).isFalse();
        assertThat(e.getException().getMessage()).endsWith("gave up after 1 try (jobpilot.http.retries=0)");
    }
}
