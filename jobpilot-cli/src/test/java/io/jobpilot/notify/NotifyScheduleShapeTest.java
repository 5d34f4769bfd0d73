package io.jobpilot.notify;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.jobpilot.run.Notification;
import io.jobpilot.app.JobpilotRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The documented schedule at a receiver that never answers 200, in a process that stays up: every attempt the outbox
 * counts reaches the receiver, in order, none before the schedule makes it due, no more than the schedule has, and the
 * delivery is dead-lettered because the next attempt would start at or after the give-up time. How many attempts fit
 * depends on how long each one takes (the waits run from the end of a failed attempt), so the test asserts the rule
 * that decides, not a count or a duration; the schedule's own numbers are NotifyScheduleTest's.
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
            List<LoggedRequest> attempts = attempts();
            assertThat(attempts).as("each counted attempt reached the receiver, with the same key").hasSize(made)
                    .allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo(runId));
            assertThat(made).as("no more than the whole schedule has").isLessThanOrEqualTo(SCHEDULE.maxAttempts());
            for (int k = 1; k < made; k++) {
                // the receiver logs a request as it arrives, before the attempt ends, and the wait starts at its end
                long gap = attempts.get(k).getLoggedDate().getTime() - attempts.get(k - 1).getLoggedDate().getTime();
                assertThat(gap).as("attempt %d came no earlier than the wait the schedule sets after attempt %d", k + 1, k)
                        .isGreaterThanOrEqualTo(SCHEDULE.delayAfter(k).toMillis());
            }
            assertThat(n.finishedAt().plus(SCHEDULE.delayAfter(made))).as("dead because the next attempt would start at or "
                    + "after the give-up time").isAfterOrEqualTo(SCHEDULE.giveUpAt(n.firstAttemptAt()));
            assertThat(n.lastError()).isEqualTo("HTTP 503");
            assertThat(n.nextAttemptAt()).isNull();
            assertThat(jobpilot("show", runId).out()).contains("notified:  " + receiver.baseUrl() + "/...: DEAD after " + made
                    + " attempts (last error: HTTP 503)");
        }
    }
}
