package io.jobpilot.run;

import io.jobpilot.config.Durations;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The one poll schedule every workflow uses: first wait {@code initial}, each later wait {@code multiplier} times longer
 * up to {@code max}; Retry-After stretches a wait; the last wait is cut to land on the deadline, where one final status
 * check decides between a result and TIMED_OUT. Transient failures never end a run before its deadline.
 */
public final class PollPolicy {
    public static final String POLL = RunExchange.POLL;
    public static final String REMOTE = RunExchange.REMOTE;
    /** Optional: an Instant that replaces the run's deadline for one polling (e.g. confirming a stop). */
    public static final String DEADLINE = RunExchange.POLL_DEADLINE;
    /** Optional: a Duration; the loop then checks at this fixed interval instead of the growing schedule. */
    public static final String INTERVAL = RunExchange.POLL_INTERVAL;
    /**
     * Set to true by a status check that read nothing this time (e.g. a run waiting for a callback): the loop waits
     * again without counting a poll. The check at the deadline ({@link PollState#isFinalCheck()}) must read.
     */
    public static final String QUIET = RunExchange.POLL_QUIET;
    /** The run's own polling while a stop is confirmed with a polling of its own (confirmingStop, stopConfirmed). */
    private static final String ASIDE = "pollAside";

    private final Duration initial;
    private final double multiplier;
    private final Duration max;
    private final Duration unknownStatusGrace;
    private final Progress progress;
    private final Clock clock;
    private final Metrics metrics;
    private final java.util.function.BooleanSupplier draining;

    public PollPolicy(Duration initial, double multiplier, Duration max, Duration unknownStatusGrace, Progress progress, Clock clock,
                      Metrics metrics, java.util.function.BooleanSupplier draining) {
        this.metrics = metrics;
        this.draining = draining;
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("jobpilot.poll.multiplier must be 1 or more, not " + multiplier);
        }
        this.initial = initial;
        this.multiplier = multiplier;
        this.max = max;
        this.unknownStatusGrace = unknownStatusGrace;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * Starts polling for the run in property {@code run} until its deadline (or property {@code pollDeadline});
     * the first check comes after the initial interval.
     */
    public void start(Exchange exchange) {
        Run run = RunExchange.run(exchange);
        Instant deadline = exchange.getProperty(DEADLINE, Instant.class);
        PollState state = new PollState(deadline != null ? deadline : run.deadline(), 0, exchange.getProperty(INTERVAL, Duration.class));
        schedule(run, state, RunExchange.flag(exchange, RunExchange.POLL_AT_ONCE) ? Duration.ZERO
                : state.fixedInterval() != null ? state.fixedInterval() : initial);
        exchange.setProperty(POLL, state);
    }

    /**
     * Before a workflow's stop route confirms its stop with the loop (route jobpilot-confirm-stop): the run's own
     * polling, if it has one (a stop at the deadline or on request), is kept aside for {@link #stopConfirmed}, and
     * property {@code stopping} tells the loop not to stop again and the status check to read.
     */
    public void confirmingStop(Exchange exchange) {
        exchange.setProperty(ASIDE, exchange.getProperty(POLL));
        exchange.setProperty(RunExchange.STOPPING, true);
    }

    /** After the stop's confirmation, however it ended: the run's own polling is back, the stop's settings gone. */
    public void stopConfirmed(Exchange exchange) {
        exchange.setProperty(POLL, exchange.removeProperty(ASIDE));
        for (String p : new String[] {RunExchange.STOPPING, DEADLINE, INTERVAL, RunExchange.POLL_AT_ONCE}) {
            exchange.removeProperty(p);
        }
    }

    /** After a status check: the property {@code remote} holds the reading. */
    public void onStatus(Exchange exchange) {
        PollState state = exchange.getProperty(POLL, PollState.class);
        Run run = RunExchange.run(exchange);
        if (Boolean.TRUE.equals(exchange.removeProperty(QUIET))) {
            schedule(run, state, nextInterval(state));
            return;
        }
        RemoteStatus status = Objects.requireNonNull(exchange.getProperty(REMOTE, RemoteStatus.class), "status check set no 'remote'");
        metrics.poll(vendorOf(exchange));
        suspendIfDraining();
        state.countPoll();
        state.last(status);
        if (!Objects.equals(status.vendorStatus(), state.lastVendorStatus())) {
            state.lastVendorStatus(status.vendorStatus());
            progress.say(run, "remote status " + status.vendorStatus() + (status.message() == null ? "" : ": " + status.message()));
        }
        if (status.isTerminal()) {
            state.finish(status);
            progress.notWaiting(run);
            return;
        }
        if (status.state() == RemoteState.UNKNOWN) {
            Instant now = clock.instant();
            if (state.unknownSince() == null) {
                state.unknownSince(now);
                run.warn("unrecognised status '" + status.vendorStatus() + "' seen; treated as still running for up to "
                        + Durations.format(unknownStatusGrace));
            } else if (Duration.between(state.unknownSince(), now).compareTo(unknownStatusGrace) >= 0) {
                RemoteStatus failed = new RemoteStatus(RemoteState.FAILED, status.vendorStatus(), "the vendor kept reporting the "
                        + "unrecognised status '" + status.vendorStatus() + "' for " + Durations.format(unknownStatusGrace)
                        + " (raise jobpilot.poll.unknown-status-grace if it is a legitimate running state)");
                state.finish(failed);
                progress.notWaiting(run);
                exchange.setProperty(REMOTE, failed);
                return;
            }
        } else {
            state.unknownSince(null);
        }
        schedule(run, state, nextInterval(state));
    }

    /** After a 5xx, 429, reset or read timeout while polling: wait (at least Retry-After) and poll again. */
    public void onTransientFailure(Exchange exchange) {
        PollState state = exchange.getProperty(POLL, PollState.class);
        Run run = RunExchange.run(exchange);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String text = error == null ? "unknown error" : Secrets.scrub(error.getMessage() == null ? error.getClass().getSimpleName()
                : error.getMessage());
        state.countTransientFailure(text);
        metrics.poll(vendorOf(exchange));
        suspendIfDraining();
        Duration wait = nextInterval(state);
        if (error instanceof TransientFailure t && t.retryAfter() != null && t.retryAfter().compareTo(wait) > 0) {
            wait = t.retryAfter();
        }
        progress.say(run, "status check failed (" + text + "); retrying in " + Durations.format(wait));
        schedule(run, state, wait);
    }

    /** After each wait: a runtime that is shutting down leaves the run here, unfinished, without another call. */
    public void beforeCheck(Exchange exchange) {
        suspendIfDraining();
    }

    private void suspendIfDraining() {
        if (draining.getAsBoolean()) {
            throw new IllegalStateException("runtime shutting down");
        }
    }

    /** A stop was requested (API, jobpilot stop): after the workflow's stop route ran, end the run STOPPED. */
    public void stoppedOnRequest(Exchange exchange) {
        Run run = RunExchange.run(exchange);
        throw new RunFailure(ErrorKind.REMOTE_JOB, "stop", null, run.stopReason() + "; "
                + RunExchange.stopDescription(exchange, "the remote job was stopped"), Outcome.STOPPED, null);
    }

    /** --no-wait: the remote job is started and recorded; the run ends RUNNING and can be resumed. */
    public void notWaiting(Exchange exchange) {
        Run run = RunExchange.run(exchange);
        throw new RunFailure(ErrorKind.TIMEOUT, "wait for completion", null, "not waited for (--no-wait); jobpilot resume "
                + run.runId() + " follows it to the end", Outcome.RUNNING, null);
    }

    /** Ends the run once a final check at the deadline still saw it running: what happens depends on --on-timeout. */
    public void timedOut(Exchange exchange) {
        PollState state = exchange.getProperty(POLL, PollState.class);
        Run run = RunExchange.run(exchange);
        String seen = state.last() == null ? "no status could be read" + (state.lastTransientError() == null ? ""
                : " (last error: " + state.lastTransientError() + ")") : "still " + state.last().vendorStatus();
        String what = "deadline of " + Durations.format(Duration.between(run.startedAt(), run.deadline()).abs())
                + " passed; a final status check showed " + seen;
        switch (run.onTimeout()) {
            case DETACH -> throw new RunFailure(ErrorKind.TIMEOUT, "wait for completion", null, what
                    + "; left running (jobpilot resume " + run.runId() + " to follow it again)", Outcome.RUNNING, null);
            case STOP -> throw new RunFailure(ErrorKind.TIMEOUT, "wait for completion", null, what + "; "
                    + RunExchange.stopDescription(exchange, "the remote job was stopped"), Outcome.STOPPED, null);
            default -> throw new RunFailure(ErrorKind.TIMEOUT, "wait for completion", null, what
                    + "; the remote job was left alone (jobpilot resume " + run.runId() + " to follow it again)", Outcome.TIMED_OUT, null);
        }
    }

    private static String vendorOf(Exchange exchange) {
        RemoteCall request = exchange.getProperty(RemoteCall.PROPERTY, RemoteCall.class);
        return request == null ? "unknown" : request.vendor();
    }

    private Duration nextInterval(PollState state) {
        if (state.fixedInterval() != null) {
            return state.fixedInterval();
        }
        double next = Math.max(1, state.getNextDelayMs()) * multiplier;
        return Duration.ofMillis((long) Math.min(Math.max(next, initial.toMillis()), max.toMillis()));
    }

    /**
     * Sets the next wait, cut short to land on the deadline; the check at the deadline is the final one. The progress
     * lines learn when the next check comes.
     */
    private void schedule(Run run, PollState state, Duration wait) {
        if (state.isFinalCheck()) {
            state.timeOut();
            progress.notWaiting(run);
            return;
        }
        Instant now = clock.instant();
        long remaining = Duration.between(now, state.deadline()).toMillis();
        if (wait.toMillis() >= remaining) {
            state.finalCheck(true);
            state.delayNext(Math.max(0, remaining));
        } else {
            state.delayNext(wait.toMillis());
        }
        progress.waiting(run, state.lastVendorStatus(), now.plusMillis(state.getNextDelayMs()));
    }
}
