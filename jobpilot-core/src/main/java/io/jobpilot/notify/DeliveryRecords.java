package io.jobpilot.notify;

import java.time.Instant;

/**
 * Where {@link NotifyFailures} writes what became of a failed attempt: the outbox the delivery was claimed from (the
 * ledger's {@code NotifyOutbox}). Owned here because the ledger stores notify's deliveries, so notify cannot depend on
 * the ledger in turn.
 */
public interface DeliveryRecords {
    /** The attempt failed: why, and when the next one is due (null: none, the schedule gives up). */
    void failed(Delivery d, String error, Instant nextAttemptAt);

    /** The give-up time has passed: dead-lettered, kept for show. */
    void dead(Delivery d);

    /** This process lets the delivery go (it only makes immediate attempts, or it is stopping): due for anyone. */
    void release(Delivery d);
}
