package io.jobpilot.notify;

import io.jobpilot.run.Notification;
import io.jobpilot.run.RunResult;
import io.jobpilot.runtime.JobpilotRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The documented schedule, measured at a receiver that never answers 200: a dead letter. */
class NotifyScheduleShapeTest extends NotifyTestSupport {
    /** Lateness allowed on a loaded build machine; attempts are never early. */
    private static final long SLACK_MS = 150;

    @Test
    void threeImmediateAttemptsThenDoublingWaitsUpToTheCapUntilGiveUpThenDead() throws Exception {
        try (JobpilotRuntime runtime = startRuntime()) {
            warmUp(runtime);
            receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(503)));
            RunResult result = runWithNotify(runtime);
            String runId = result.runId();

            await().atMost(Duration.ofSeconds(10)).until(() -> "DEAD".equals(notification(runtime, runId).state()));
            int attemptsAtDeath = attempts().size();
            Thread.sleep(500);   // nothing may follow a dead letter (a quiet period, not a timing assertion)

            List<Long> gaps = gaps();
            assertThat(attempts()).hasSize(attemptsAtDeath);
            assertThat(gaps).as("gaps %s", gaps).hasSizeGreaterThanOrEqualTo(7);
            // 3 immediate attempts
            assertThat(gaps.subList(0, 2)).as("gaps %s", gaps).allSatisfy(g -> assertThat(g).isLessThan(SLACK_MS / 3));
            // then 50, 100, then the 200 cap
            assertThat(gaps.get(2)).as("gaps %s", gaps).isBetween(49L, 50 + SLACK_MS);
            assertThat(gaps.get(3)).as("gaps %s", gaps).isBetween(99L, 100 + SLACK_MS);
            assertThat(gaps.subList(4, gaps.size())).as("gaps %s", gaps).allSatisfy(g -> assertThat(g).isBetween(199L, 200 + SLACK_MS));
            // the last attempt started before the give-up time; the next one would not have
            long span = attempts().get(attempts().size() - 1).getLoggedDate().getTime() - attempts().get(0).getLoggedDate().getTime();
            assertThat(span).as("gaps %s", gaps).isLessThan(1500).isGreaterThanOrEqualTo(1500 - 200 - SLACK_MS);

            Notification n = notification(runtime, runId);
            assertThat(n.attempts()).isEqualTo(attemptsAtDeath);
            assertThat(n.lastError()).contains("HTTP 503");
            assertThat(n.nextAttemptAt()).isNull();
            assertThat(n.finishedAt()).isNotNull();
            assertThat(attempts()).allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo(runId));
            assertThat(jobpilot("show", runId).out()).contains("notified:  " + hookUrl() + ": DEAD after " + attemptsAtDeath
                    + " attempts (last error: HTTP 503)");
        }
    }
}
