package io.jobpilot.callback;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "A callback arrived" flags of the runs this process waits for, raised by {@link CallbackWakes} (a callback came here,
 * or the ledger has a receipt for the run that this process has not seen), taken down by the run's next poll tick,
 * which then reads the activity log. Runs nobody here waits for keep no flag (their backstop poll, or the node that
 * follows them, sees the end).
 */
public final class CallbackInbox {
    /** @param receipts the most receipts the ledger was seen to have for the run: a flag was raised after each of them */
    private record Flag(boolean raised, int receipts) {
    }

    private final Map<String, Flag> waiting = new ConcurrentHashMap<>();

    /**
     * The run waits for its callback from now on; {@code receipts}: those the ledger has for it already (any node's).
     * When there are some, one may have come before the wait: the flag starts raised (read at the next tick).
     */
    public void watch(String runId, int receipts) {
        waiting.put(runId, new Flag(receipts > 0, receipts));
    }

    public boolean isWaiting(String runId) {
        return waiting.containsKey(runId);
    }

    /** Whether any run here waits for its callback. */
    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** A callback for the run came (a copy, maybe); the ledger had {@code receipts} for it once it was recorded. */
    public void raise(String runId, int receipts) {
        waiting.computeIfPresent(runId, (id, flag) -> new Flag(true, Math.max(receipts, flag.receipts())));
    }

    /** The ledger's receipts by run: a run waiting here with more than were seen is woken (they reached another node). */
    public void receipts(Map<String, Integer> byRun) {
        byRun.forEach((runId, count) -> waiting.computeIfPresent(runId,
                (id, flag) -> count > flag.receipts() ? new Flag(true, count) : flag));
    }

    /** True once after a callback for the run arrived. */
    public boolean take(String runId) {
        boolean[] taken = {false};
        waiting.computeIfPresent(runId, (id, flag) -> {
            taken[0] = flag.raised();
            return new Flag(false, flag.receipts());
        });
        return taken[0];
    }

    public void forget(String runId) {
        waiting.remove(runId);
    }
}
