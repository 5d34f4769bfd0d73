package io.jobpilot.callback;

import io.jobpilot.config.Durations;
import io.jobpilot.iics.IicsJobSpec;
import io.jobpilot.ledger.CallbackRecords;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.Progress;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunExchange;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How a run with -p callback=true waits in the one poll loop: the loop ticks every {@code tick}, and the status check
 * reads the activity log only when a callback came since the last tick (then again after 1, 2, 4... ticks until the
 * log has the run, since IICS may list it a little later), or when the {@code backstop} poll is due, or at the
 * deadline. Other ticks read nothing (property pollQuiet). No thread waits; the callback's body decides nothing.
 */
public final class CallbackWait {
    /** The route that receives callbacks; callback waiting applies only in a process where it runs. */
    static final String INTAKE_ROUTE = "jobpilot-iics-callback-intake";
    private static final String NEXT_READ = "callbackNextRead";
    private static final String CONFIRM_DELAY = "callbackConfirmDelay";

    private final CallbackInbox inbox;
    private final CallbackRecords records;
    private final Duration tick;
    private final Duration backstop;
    private final Progress progress;
    private final Clock clock;

    public CallbackWait(CallbackInbox inbox, CallbackRecords records, Duration tick, Duration backstop, Progress progress, Clock clock) {
        this.inbox = inbox;
        this.records = records;
        this.tick = tick;
        this.backstop = backstop;
        this.progress = progress;
        this.clock = clock;
    }

    /** For routes: the run asked for a callback, and this process receives callbacks (its intake route runs). */
    public boolean applies(Exchange e) {
        return IicsJobSpec.callbackRequested(RunExchange.run(e).request().params())
                && e.getContext().getRoute(INTAKE_ROUTE) != null;
    }

    /** Before the poll loop: tick at a fixed interval; a callback recorded already (by any node) is read at the first tick. */
    public void begin(Exchange e) {
        Run run = RunExchange.run(e);
        inbox.watch(run.runId(), records.receipts(run.runId()));
        e.setProperty(PollPolicy.INTERVAL, tick);
        e.setProperty(NEXT_READ, clock.instant().plus(backstop));
        progress.say(run, "waiting for IICS's callback (the activity log is read when it comes, and every "
                + Durations.format(backstop) + " in any case)");
    }

    /**
     * For the status check: true when the activity log is to be read now. False only for a run waiting for its callback
     * with none come, no read due and no deadline reached; then property pollQuiet tells the loop nothing was read.
     */
    public boolean readsNow(Exchange e) {
        Instant nextRead = e.getProperty(NEXT_READ, Instant.class);
        if (nextRead == null || RunExchange.flag(e, RunExchange.STOPPING) || RunExchange.poll(e).isFinalCheck()) {
            return true;
        }
        Run run = RunExchange.run(e);
        boolean called = inbox.take(run.runId());
        Instant now = clock.instant();
        if (!called && now.isBefore(nextRead)) {
            e.setProperty(PollPolicy.QUIET, true);
            return false;
        }
        if (called) {
            progress.say(run, "IICS called back; confirming through the activity log");
            e.setProperty(CONFIRM_DELAY, tick);
        }
        Duration confirm = e.getProperty(CONFIRM_DELAY, Duration.class);
        if (confirm != null && confirm.compareTo(backstop) < 0) {
            e.setProperty(NEXT_READ, now.plus(confirm));
            e.setProperty(CONFIRM_DELAY, confirm.multipliedBy(2));
        } else {
            e.setProperty(NEXT_READ, now.plus(backstop));
            e.removeProperty(CONFIRM_DELAY);
        }
        return true;
    }

    /** After the poll loop, however it ended: the run no longer waits. */
    public void end(Exchange e) {
        if (e.removeProperty(NEXT_READ) != null) {
            e.removeProperty(CONFIRM_DELAY);
            inbox.forget(RunExchange.run(e).runId());
        }
    }
}
