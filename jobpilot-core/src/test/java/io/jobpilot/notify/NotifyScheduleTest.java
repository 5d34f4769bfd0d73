package io.jobpilot.notify;

import io.jobpilot.config.JobpilotConfig.ConfigException;
import io.jobpilot.notify.NotifySchedule.Plan;
import io.jobpilot.notify.NotifySchedule.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifyScheduleTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    /** The documented defaults: 3 immediate, 30s doubling to 3m, give up after 30m. */
    private final NotifySchedule documented = new NotifySchedule(3, Duration.ofSeconds(30), Duration.ofMinutes(3), Duration.ofMinutes(30));

    @Test
    void threeImmediateAttemptsThenDoublingFromTheInitialBackoffUpToTheCap() {
        List<Long> waits = IntStream.rangeClosed(1, 9).mapToObj(n -> documented.delayAfter(n).toSeconds()).toList();

        assertThat(waits).containsExactly(0L, 0L, 30L, 60L, 120L, 180L, 180L, 180L, 180L);
    }

    @Test
    void theWholeDocumentedScheduleHasFourteenAttemptsWithinThirtyMinutes() {
        List<Instant> attempts = new ArrayList<>(List.of(T0));
        Instant now = T0;
        Plan plan;
        while ((plan = documented.afterFailure(attempts.size(), T0, now, false)).retry()) {
            now = plan.nextAttemptAt();
            attempts.add(now);
        }

        assertThat(plan.step()).isEqualTo(Step.GIVE_UP);
        assertThat(plan.nextAttemptAt()).isNull();
        // 0, 0, 0, 30s, 90s, 210s, then every 180s: the last that starts before 30m is at 27m30s
        assertThat(attempts).hasSize(14);
        assertThat(documented.maxAttempts()).isEqualTo(14);
        assertThat(Duration.between(T0, attempts.get(13))).isEqualTo(Duration.ofSeconds(1650));
        assertThat(documented.giveUpAt(T0)).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void theTestsScheduleInMillisecondsHasElevenAttemptsInOrder() {
        NotifySchedule millis = new NotifySchedule(3, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(1500));
        List<Long> offsets = new ArrayList<>(List.of(0L));
        long at = 0;
        for (int made = 1; made < millis.maxAttempts(); made++) {
            at += millis.delayAfter(made).toMillis();
            offsets.add(at);
        }

        // 3 immediate, then 50, 100, then the 200 cap; the next one (1550) would start after the give-up time
        assertThat(offsets).containsExactly(0L, 0L, 0L, 50L, 150L, 350L, 550L, 750L, 950L, 1150L, 1350L);
        assertThat(millis.afterFailure(11, T0, T0.plusMillis(1350), false).step()).isEqualTo(Step.GIVE_UP);
    }

    @Test
    void theGiveUpClockRunsFromTheFirstAttemptNotFromNow() {
        Instant now = T0.plus(Duration.ofMinutes(28));

        assertThat(documented.afterFailure(10, T0, now, false).step()).as("28m + 3m is past 30m").isEqualTo(Step.GIVE_UP);
        assertThat(documented.afterFailure(10, T0.plus(Duration.ofMinutes(5)), now, false).step()).isEqualTo(Step.RETRY);
    }

    @Test
    void anAttemptDueExactlyAtTheGiveUpTimeIsNotMade() {
        assertThat(documented.afterFailure(6, T0, T0.plus(Duration.ofMinutes(27)), false).step()).isEqualTo(Step.GIVE_UP);
        assertThat(documented.afterFailure(6, T0, T0.plus(Duration.ofMinutes(27)).minusMillis(1), false).step()).isEqualTo(Step.RETRY);
    }

    @Test
    void immediateOnlyRetriesTheImmediateAttemptsAndLeavesTheWaitsForLater() {
        assertThat(documented.afterFailure(1, T0, T0, true).step()).isEqualTo(Step.RETRY);
        assertThat(documented.afterFailure(2, T0, T0, true).step()).isEqualTo(Step.RETRY);
        Plan third = documented.afterFailure(3, T0, T0, true);
        assertThat(third.step()).isEqualTo(Step.LATER);
        assertThat(third.nextAttemptAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void theDelayNeverOverflowsAndStaysAtTheCap() {
        assertThat(documented.delayAfter(200)).isEqualTo(Duration.ofMinutes(3));
        assertThat(documented.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void nonsenseSettingsAreConfigurationErrors() {
        assertThatThrownBy(() -> new NotifySchedule(0, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("immediate-attempts must be at least 1");
        assertThatThrownBy(() -> new NotifySchedule(3, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(30)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max-backoff (1m) must be at least");
        assertThatThrownBy(() -> new NotifySchedule(3, Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(30)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("initial-backoff must be more than zero");
    }
}
