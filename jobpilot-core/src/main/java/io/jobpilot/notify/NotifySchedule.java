package io.jobpilot.notify;

import io.jobpilot.config.Durations;
import io.jobpilot.config.JobpilotConfig.ConfigException;

import java.time.Duration;
import java.time.Instant;

/**
 * The documented retry schedule of a completion notification: {@code immediateAttempts} attempts at once, then waits
 * doubling from {@code initialBackoff} up to {@code maxBackoff}, as long as the next attempt would start before
 * {@code giveUpAfter} has passed since the first one. Pure arithmetic: the caller says how many attempts were made
 * (across restarts) and when the first one was.
 */
public final class NotifySchedule {
    private final int immediateAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration giveUpAfter;
    private final int maxAttempts;

    public NotifySchedule(int immediateAttempts, Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {
        if (immediateAttempts < 1) {
            throw new ConfigException("jobpilot.notify.immediate-attempts must be at least 1 (the first attempt), not " + immediateAttempts);
        }
        if (initialBackoff.isZero() || initialBackoff.isNegative()) {
            throw new ConfigException("jobpilot.notify.initial-backoff must be more than zero (waits of nothing would never "
                    + "let the receiver recover), not " + Durations.format(initialBackoff));
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new ConfigException("jobpilot.notify.max-backoff (" + Durations.format(maxBackoff)
                    + ") must be at least jobpilot.notify.initial-backoff (" + Durations.format(initialBackoff) + ")");
        }
        this.immediateAttempts = immediateAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.giveUpAfter = giveUpAfter;
        this.maxAttempts = countAttempts();
    }

    /** What follows a failed attempt. */
    public enum Step {
        /** Try again after {@code delay}, in this process. */
        RETRY,
        /** Due again at {@code nextAttemptAt}, but this process only makes the immediate attempts (the command line). */
        LATER,
        /** The next attempt would start after the give-up time: dead-letter it. */
        GIVE_UP
    }

    /** @param nextAttemptAt null when giving up */
    public record Plan(Step step, Duration delay, Instant nextAttemptAt) {
        public boolean retry() {
            return step == Step.RETRY;
        }
    }

    /** The wait before the attempt that follows {@code attemptsMade} attempts. */
    public Duration delayAfter(int attemptsMade) {
        int doublings = attemptsMade - immediateAttempts;
        if (doublings < 0) {
            return Duration.ZERO;
        }
        if (doublings >= 62 || initialBackoff.multipliedBy(1L << doublings).compareTo(maxBackoff) > 0) {
            return maxBackoff;
        }
        return initialBackoff.multipliedBy(1L << doublings);
    }

    /**
     * @param attemptsMade   attempts so far, this failed one included
     * @param immediateOnly  true where the process does not stay up for the waits (the command line)
     */
    public Plan afterFailure(int attemptsMade, Instant firstAttemptAt, Instant now, boolean immediateOnly) {
        Duration delay = delayAfter(attemptsMade);
        Instant next = now.plus(delay);
        if (!next.isBefore(giveUpAt(firstAttemptAt))) {
            return new Plan(Step.GIVE_UP, Duration.ZERO, null);
        }
        return new Plan(immediateOnly && !delay.isZero() ? Step.LATER : Step.RETRY, delay, next);
    }

    /** No attempt starts at or after this time. */
    public Instant giveUpAt(Instant firstAttemptAt) {
        return firstAttemptAt.plus(giveUpAfter);
    }

    /**
     * How many attempts the whole schedule makes when each one fails at once: attempts that take time leave room for
     * fewer (the waits run from the end of a failed attempt; the give-up time from the start of the first).
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Attempts that fail at once, one after the other, until the schedule gives up (it does: every wait is > 0). */
    private int countAttempts() {
        Instant first = Instant.EPOCH;
        Instant at = first;
        int attempts = 1;
        Plan plan;
        while ((plan = afterFailure(attempts, first, at, false)).retry()) {
            at = plan.nextAttemptAt();
            attempts++;
        }
        return attempts;
    }
}
