package io.jobpilot.callback;

import org.apache.camel.Exchange;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "A callback arrived" flags of the runs this process waits for: the intake raises a run's flag, the run's next poll
 * tick takes it down and reads the activity log. Runs nobody here waits for keep no flag (their backstop poll, or the
 * node that follows them, sees the end).
 */
public final class CallbackInbox {
    private final Map<String, Boolean> waiting = new ConcurrentHashMap<>();

    /** The run waits for its callback from now on; {@code raised}: one may already have come (read at the next tick). */
    public void watch(String runId, boolean raised) {
        waiting.put(runId, raised);
    }

    /** For the intake route: raises the flag of the callback's run, when this process waits for it. */
    public void wake(Exchange e) {
        waiting.computeIfPresent(e.getProperty(CallbackIntake.NOTICE, CallbackNotice.class).runId(), (id, raised) -> true);
    }

    /** True once after a callback for the run arrived. */
    public boolean take(String runId) {
        return waiting.replace(runId, true, false);
    }

    public void forget(String runId) {
        waiting.remove(runId);
    }
}
