package io.jobpilot.notify;

import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.RunExchange;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt of a completion notification, for the {@code notify-attempt} route: the POST that the shared
 * {@code direct:http-send} sends (the stored body, and only Content-Type, Idempotency-Key, the Standard Webhooks
 * {@code webhook-id} and {@code webhook-timestamp} and, with a secret, the signatures; the attempt timeout as connect
 * and response timeout: a receiver that takes longer is a network error), and the verdict on the answer (HTTP 200, or
 * a failed attempt). Each attempt is prepared anew: the id stays the delivery's, the timestamp (and so the signature)
 * is the attempt's own.
 */
public final class NotifyRequests {
    public static final String DELIVERY = RunExchange.DELIVERY;
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final NotifySigner signer;
    private final Duration attemptTimeout;
    private final Clock clock;

    /** Timestamps from the system clock: a receiver compares them with its own. */
    public NotifyRequests(NotifySigner signer, Duration attemptTimeout) {
        this(signer, attemptTimeout, Clock.systemUTC());
    }

    NotifyRequests(NotifySigner signer, Duration attemptTimeout, Clock clock) {
        this.signer = signer;
        this.attemptTimeout = attemptTimeout;
        this.clock = clock;
    }

    /** Sets property {@code request} for direct:http-send. */
    public void prepare(Exchange exchange) {
        Delivery d = exchange.getProperty(DELIVERY, Delivery.class);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(IDEMPOTENCY_KEY, d.id());
        long timestamp = clock.instant().getEpochSecond();
        headers.put(StandardWebhooks.ID, d.id());
        headers.put(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
        if (signer.isSigning()) {
            headers.putAll(signer.headers(d.id(), timestamp, d.body().getBytes(StandardCharsets.UTF_8)));
        }
        exchange.setProperty(HttpExchanges.REQUEST, new VendorRequest("the notification receiver", "completion notification",
                "POST", d.url(), headers, d.body()).withTimeout(attemptTimeout));
    }

    /** Anything but HTTP 200 is a failed attempt (no answer in time never gets here: it is an IOException). */
    public void requireDelivered(Exchange exchange) {
        VendorResponse r = exchange.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
        if (r.status() != 200) {
            throw new NotDelivered("HTTP " + r.status() + (r.snippet().isEmpty() ? "" : ": " + r.snippet()));
        }
    }

    /** The receiver answered, but not with HTTP 200. */
    public static final class NotDelivered extends RuntimeException {
        public NotDelivered(String message) {
            super(message);
        }
    }
}
