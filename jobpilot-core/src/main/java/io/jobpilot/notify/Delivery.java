package io.jobpilot.notify;

import java.time.Instant;

/**
 * One completion notification on its way, as the {@code notify-deliver} route carries it (exchange property
 * {@code delivery}): the outbox row it was claimed from, with the attempt count and the give-up clock kept up to date.
 *
 * @param id the outbox key, sent as Idempotency-Key (the runId)
 */
public final class Delivery {
    private final String id;
    private final String runId;
    private final String url;
    private final String body;
    private int attempts;
    private Instant firstAttemptAt;

    public Delivery(String id, String runId, String url, String body, int attempts, Instant firstAttemptAt) {
        this.id = id;
        this.runId = runId;
        this.url = url;
        this.body = body;
        this.attempts = attempts;
        this.firstAttemptAt = firstAttemptAt;
    }

    public String id() {
        return id;
    }

    public String runId() {
        return runId;
    }

    public String url() {
        return url;
    }

    public String body() {
        return body;
    }

    public synchronized int attempts() {
        return attempts;
    }

    public synchronized Instant firstAttemptAt() {
        return firstAttemptAt;
    }

    /** An attempt starts now: it counts, and the first one starts the give-up clock. */
    public synchronized void attempting(Instant now) {
        attempts++;
        if (firstAttemptAt == null) {
            firstAttemptAt = now;
        }
    }

    @Override
    public String toString() {
        return "notification " + id + " to " + NotifyUrl.display(url);
    }
}
