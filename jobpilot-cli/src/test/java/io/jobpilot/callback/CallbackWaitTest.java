package io.jobpilot.callback;

import io.jobpilot.run.Metrics;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.PollState;
import io.jobpilot.run.Progress;
import io.jobpilot.support.MutableClock;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When a run waiting for its callback reads the activity log: after a callback, at the backstop, at the deadline. */
class CallbackWaitTest {
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration BACKSTOP = Duration.ofMinutes(5);

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final StringWriter progress = new StringWriter();
    private final CallbackInbox inbox = new CallbackInbox();
    private CallbackFixture f;
    private CallbackWait wait;
    private Exchange e;

    @BeforeEach
    void setUp() throws Exception {
        f = new CallbackFixture(tmp);
        wait = new CallbackWait(inbox, f.records, TICK, BACKSTOP, new Progress(Progress.Mode.STDERR, new PrintWriter(progress, true)), clock);
        e = f.exchangeFor("run-1", Map.of("callback", "true"));
    }

    @AfterEach
    void close() {
        f.close();
    }

    /** begin, then the poll loop's start (as routes iics-job-wait and poll-until-done do). */
    private void begin() {
        wait.begin(e);
        new PollPolicy(Duration.ofSeconds(5), 1.5, Duration.ofMinutes(1), Duration.ofMinutes(10), new Progress(Progress.Mode.OFF,
                new PrintWriter(new StringWriter())), clock, Metrics.none(), () -> false).start(e);
    }

    private boolean tick(long ms) {
        clock.advance(ms);
        e.removeProperty(PollPolicy.QUIET);
        return wait.readsNow(e);
    }

    private void callback() {
        inbox.raise("run-1", 1);
    }

    @Test
    void appliesOnlyToCallbackRunsInAProcessThatReceivesCallbacks() throws Exception {
        assertThat(wait.applies(e)).as("no intake route here").isFalse();
        f.context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:intake").routeId(CallbackWait.INTAKE_ROUTE).log("x");
            }
        });
        f.context.start();
        assertThat(wait.applies(e)).isTrue();
        assertThat(wait.applies(f.exchangeFor("run-2", Map.of()))).isFalse();
    }

    @Test
    void withoutACallbackTicksAreQuietUntilTheBackstop() {
        begin();
        assertThat(e.getProperty(PollPolicy.INTERVAL, Duration.class)).isEqualTo(TICK);
        assertThat(e.getProperty(PollPolicy.POLL, PollState.class).getNextDelayMs()).isEqualTo(1000);
        assertThat(tick(1000)).isFalse();
        assertThat(e.getProperty(PollPolicy.QUIET, Boolean.class)).isTrue();
        assertThat(tick(BACKSTOP.toMillis() - 2000)).isFalse();
        assertThat(tick(1000)).as("backstop due").isTrue();
        assertThat(e.getProperty(PollPolicy.QUIET)).isNull();
        assertThat(tick(1000)).isFalse();
        assertThat(progress.toString()).contains("waiting for IICS's callback").contains("every 5m");
    }

    @Test
    void aCallbackIsReadAtTheNextTickThenAfterOneTwoFourTicksUntilTheLogHasIt() {
        begin();
        assertThat(tick(1000)).isFalse();
        callback();
        assertThat(tick(1000)).isTrue();
        assertThat(progress.toString()).contains("IICS called back; confirming through the activity log");
        assertThat(tick(1000)).as("1 tick later").isTrue();
        assertThat(tick(1000)).isFalse();
        assertThat(tick(1000)).as("2 ticks later").isTrue();
        assertThat(tick(3000)).isFalse();
        assertThat(tick(1000)).as("4 ticks later").isTrue();
    }

    @Test
    void aCallbackRecordedBeforeTheWaitIsReadAtTheFirstTick() {
        String token = f.issue(e);
        f.records.firstReceipt(CallbackTokens.hash(token), "task", "1", "COMPLETED");
        begin();
        assertThat(tick(1000)).isTrue();
    }

    @Test
    void aStopConfirmationAlwaysReads() {
        begin();
        e.setProperty("stopping", true);
        assertThat(tick(1000)).isTrue();
        e.removeProperty("stopping");
        assertThat(tick(1000)).isFalse();
    }

    @Test
    void theCheckAtTheDeadlineReads() {
        clock.set(e.getProperty("run", io.jobpilot.run.Run.class).deadline().minusMillis(500));
        begin();
        assertThat(e.getProperty(PollPolicy.POLL, PollState.class).isFinalCheck()).isTrue();
        assertThat(tick(500)).isTrue();
    }

    @Test
    void runsWithoutCallbacksAlwaysRead() {
        assertThat(wait.readsNow(f.exchangeFor("run-2", Map.of()))).isTrue();
    }

    @Test
    void theEndForgetsTheRun() {
        begin();
        wait.end(e);
        callback();
        assertThat(inbox.take("run-1")).isFalse();
        assertThat(wait.readsNow(e)).isTrue();
    }
}
