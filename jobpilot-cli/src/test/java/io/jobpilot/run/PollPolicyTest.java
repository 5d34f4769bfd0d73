package io.jobpilot.run;

import io.jobpilot.http.TransientHttpException;
import io.jobpilot.support.MutableClock;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PollPolicyTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final StringWriter progress = new StringWriter();
    private PollPolicy policy;
    private Exchange exchange;

    @BeforeEach
    void setUp() {
        policy = new PollPolicy(Duration.ofMillis(100), 2.0, Duration.ofMillis(500), Duration.ofMillis(1000),
                new Progress(Progress.Mode.STDERR, new PrintWriter(progress, true)), clock, Metrics.none(), () -> false);
        exchange = new DefaultExchange(new DefaultCamelContext());
    }

    private Run run(Duration timeout, OnTimeout onTimeout) {
        // the run's deadline is computed from the system clock; align the test clock with it
        Run run = new Run(RunRequest.of("w", Map.of()).withTimeout(timeout, onTimeout), "r1", Path.of("/tmp/r1"), Instant.now(), timeout, false);
        clock.set(run.deadline().minus(timeout));
        exchange.setProperty("run", run);
        return run;
    }

    private PollState poll(RemoteState state, String word) {
        exchange.setProperty(PollPolicy.REMOTE, new RemoteStatus(state, word, null));
        policy.onStatus(exchange);
        return exchange.getProperty(PollPolicy.POLL, PollState.class);
    }

    @Test
    void waitsGrowByTheMultiplierUpToTheCap() {
        run(Duration.ofHours(1), OnTimeout.FAIL);
        policy.start(exchange);
        PollState state = exchange.getProperty(PollPolicy.POLL, PollState.class);
        assertThat(state.getNextDelayMs()).isEqualTo(100);
        long[] expected = {200, 400, 500, 500};
        for (long ms : expected) {
            assertThat(poll(RemoteState.RUNNING, "Running").getNextDelayMs()).isEqualTo(ms);
        }
        assertThat(state.isActive()).isTrue();
    }

    @Test
    void aFixedIntervalReplacesTheGrowingSchedule() {
        run(Duration.ofHours(1), OnTimeout.FAIL);
        exchange.setProperty(PollPolicy.INTERVAL, Duration.ofMillis(30));
        policy.start(exchange);
        assertThat(exchange.getProperty(PollPolicy.POLL, PollState.class).getNextDelayMs()).isEqualTo(30);
        assertThat(poll(RemoteState.RUNNING, "Running").getNextDelayMs()).isEqualTo(30);
        assertThat(poll(RemoteState.RUNNING, "Running").getNextDelayMs()).isEqualTo(30);
    }

    @Test
    void aQuietCheckWaitsAgainWithoutCountingAPoll() {
        run(Duration.ofHours(1), OnTimeout.FAIL);
        policy.start(exchange);
        exchange.setProperty(PollPolicy.QUIET, true);
        PollState state = poll(RemoteState.SUCCEEDED, "not read");
        assertThat(state.isActive()).as("the status was not read, so it decides nothing").isTrue();
        assertThat(state.polls()).isZero();
        assertThat(exchange.getProperty(PollPolicy.QUIET)).isNull();
        assertThat(poll(RemoteState.RUNNING, "Running").polls()).isEqualTo(1);
    }

    @Test
    void aTerminalStatusEndsPolling() {
        run(Duration.ofHours(1), OnTimeout.FAIL);
        policy.start(exchange);
        PollState state = poll(RemoteState.SUCCEEDED, "Finished");
        assertThat(state.isActive()).isFalse();
        assertThat(state.isTimedOut()).isFalse();
        assertThat(progress.toString()).contains("remote status Finished");
    }

    @Test
    void theLastWaitLandsOnTheDeadlineAndThatCheckIsFinal() {
        run(Duration.ofMillis(350), OnTimeout.FAIL);
        policy.start(exchange);
        clock.advance(100);
        assertThat(poll(RemoteState.RUNNING, "Running").getNextDelayMs()).isEqualTo(200);
        clock.advance(200);
        PollState state = poll(RemoteState.RUNNING, "Running");
        assertThat(state.getNextDelayMs()).isEqualTo(50);
        assertThat(state.isFinalCheck()).isTrue();
        clock.advance(50);
        state = poll(RemoteState.RUNNING, "Running");
        assertThat(state.isActive()).isFalse();
        assertThat(state.isTimedOut()).isTrue();
        assertThatThrownBy(() -> policy.timedOut(exchange)).isInstanceOfSatisfying(RunFailure.class, f -> {
            assertThat(f.outcome()).isEqualTo(Outcome.TIMED_OUT);
            assertThat(f.getMessage()).contains("a final status check showed still Running");
        });
    }

    @Test
    void theFinalCheckCanStillFindItDone() {
        run(Duration.ofMillis(150), OnTimeout.FAIL);
        policy.start(exchange);
        clock.advance(100);
        assertThat(poll(RemoteState.RUNNING, "Running").isFinalCheck()).isTrue();
        clock.advance(50);
        PollState state = poll(RemoteState.SUCCEEDED, "Finished");
        assertThat(state.isTimedOut()).isFalse();
        assertThat(state.last().state()).isEqualTo(RemoteState.SUCCEEDED);
    }

    @Test
    void retryAfterStretchesTheWaitAfterATransientFailure() {
        run(Duration.ofHours(1), OnTimeout.FAIL);
        policy.start(exchange);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new TransientHttpException("get status", 429, Duration.ofSeconds(7), "slow down"));
        policy.onTransientFailure(exchange);
        PollState state = exchange.getProperty(PollPolicy.POLL, PollState.class);
        assertThat(state.getNextDelayMs()).isEqualTo(7000);
        assertThat(state.transientFailures()).isEqualTo(1);
        assertThat(state.isActive()).isTrue();
        assertThat(progress.toString()).contains("retrying in 7s");
    }

    @Test
    void detachAndStopEndWithTheirOutcomes() {
        run(Duration.ofMillis(10), OnTimeout.DETACH);
        policy.start(exchange);
        assertThatThrownBy(() -> policy.timedOut(exchange)).isInstanceOfSatisfying(RunFailure.class,
                f -> assertThat(f.outcome()).isEqualTo(Outcome.RUNNING));
        run(Duration.ofMillis(10), OnTimeout.STOP);
        policy.start(exchange);
        assertThatThrownBy(() -> policy.timedOut(exchange)).isInstanceOfSatisfying(RunFailure.class,
                f -> assertThat(f.outcome()).isEqualTo(Outcome.STOPPED));
    }

    @Test
    void anUnknownStatusIsReportedThenFailsAfterTheGrace() {
        Run run = run(Duration.ofHours(1), OnTimeout.FAIL);
        policy.start(exchange);
        assertThat(poll(RemoteState.UNKNOWN, "Thinking").isActive()).isTrue();
        assertThat(run.warnings()).anyMatch(w -> w.contains("unrecognised status 'Thinking'"));
        clock.advance(600);
        assertThat(poll(RemoteState.UNKNOWN, "Thinking").isActive()).isTrue();
        clock.advance(600);
        PollState state = poll(RemoteState.UNKNOWN, "Thinking");
        assertThat(state.isActive()).isFalse();
        RemoteStatus verdict = exchange.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        assertThat(verdict.state()).isEqualTo(RemoteState.FAILED);
        assertThat(verdict.message()).contains("kept reporting the unrecognised status 'Thinking'");
    }
}
