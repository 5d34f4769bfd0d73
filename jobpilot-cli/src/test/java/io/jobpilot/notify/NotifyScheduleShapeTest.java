package io.jobpilot.notify;

import io.jobpilot.run.Notification;
import io.jobpilot.app.JobpilotRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The documented schedule at a receiver that never answers 200, in a process that stays up: every attempt the outbox
 * counts reaches the receiver, no more than the schedule has, and the delivery is dead-lettered at the give-up time.
 * The waits themselves are NotifyScheduleTest's (computed, not measured).
 */
class NotifyScheduleShapeTest extends NotifyTestSupport {
    /** NotifyTestSupport's: 3 immediate attempts, then 50ms doubling to 200ms, giving up 1500ms after the first. */
    private static final NotifySchedule SCHEDULE = new NotifySchedule(3, Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofMillis(1500));

    @Test
    void immediateAttemptsThenDoublingWaitsUntilTheGiveUpTimeThenDead() {
        receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(503)));
        try (JobpilotRuntime runtime = startRuntime()) {
            String runId = runWithNotify(runtime).runId();

            await().atMost(Duration.ofSeconds(10)).until(() -> "DEAD".equals(notification(runtime, runId).state()));

            Notification n = notification(runtime, runId);
            int made = n.attempts();
            assertThat(attempts()).as("each counted attempt reached the receiver, with the same key").hasSize(made)
                    .allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo(runId));
            assertThat(made).as("past the immediate attempts and the first waits, within the schedule's %d", SCHEDULE.maxAttempts())
                    .isBetween(5, SCHEDULE.maxAttempts());
            assertThat(n.finishedAt().plus(SCHEDULE.delayAfter(made))).as("dead because the next attempt would start at or "
                    + "after the give-up time").isAfterOrEqualTo(SCHEDULE.giveUpAt(n.firstAttemptAt()));
            assertThat(n.lastError()).isEqualTo("HTTP 503");
            assertThat(n.nextAttemptAt()).isNull();
            assertThat(jobpilot("show", runId).out()).contains("notified:  " + receiver.baseUrl() + "/...: DEAD after " + made
                    + " attempts (last error: HTTP 503)");
        }
    }
}
