package io.jobpilot.callback;

import io.jobpilot.ledger.CallbackRecords;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the runs this process waits for when a callback for them is recorded, wherever it was received. IICS calls
 * whichever node its callbackURL leads to (with several serve nodes, a load balancer picks one), and that node records
 * the receipt in the shared ledger. A callback received here wakes its run at once ({@link #arrived}); one received
 * elsewhere at this process's next {@link #look}: every jobpilot.callback.receipt-poll, one query for all the runs it
 * holds, and none while no run waits. Either way the run reads the activity log at its next tick, not at the backstop.
 */
public final class CallbackWakes {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackWakes.class);

    private final CallbackInbox inbox;
    private final CallbackRecords records;
    private final String ownerToken;
    private volatile boolean failing;

    /** @param ownerToken this process's owner token in the ledger: the runs it holds */
    public CallbackWakes(CallbackInbox inbox, CallbackRecords records, String ownerToken) {
        this.inbox = inbox;
        this.records = records;
        this.ownerToken = ownerToken;
    }

    /**
     * For the intake route, once the callback is recorded: wakes its run when this process waits for it. The receipts
     * counted now include this one, so the next look does not wake the run for it a second time.
     */
    public void arrived(Exchange e) {
        String runId = e.getProperty(CallbackIntake.NOTICE, CallbackNotice.class).runId();
        if (inbox.isWaiting(runId)) {
            inbox.raise(runId, records.receipts(runId));
        }
    }

    /** For the timer route: wakes the runs with receipts this process has not seen. */
    public void look() {
        if (inbox.isEmpty()) {
            return;
        }
        try {
            inbox.receipts(records.receiptsOfRunsHeldBy(ownerToken));
            if (failing) {
                failing = false;
                LOG.info("callback receipts are read from the ledger again");
            }
        } catch (RuntimeException ex) {
            if (!failing) {   // once per outage: the look comes back every receipt-poll
                failing = true;
                LOG.warn("could not read callback receipts from the ledger (a callback received by another node waits for "
                        + "the backstop poll until it answers): {}", ex.getMessage());
            }
        }
    }
}
