package io.jobpilot.notify;

import io.jobpilot.config.Durations;
import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt of a completion notification, for the {@code notify-attempt} route: the POST that the shared
 * {@code direct:http-send} sends (the stored body, and only Content-Type, Idempotency-Key and the signature), and the
 * verdict on the answer (HTTP 200 within the attempt timeout, or a failed attempt).
 */
public final class NotifyRequests {
    public static final String DELIVERY = "delivery";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final NotifySigner signer;
    private final Duration attemptTimeout;
    private final Clock clock;

    public NotifyRequests(NotifySigner signer, Duration attemptTimeout, Clock clock) {
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
        if (signer.isSigning()) {
            headers.put(NotifySigner.HEADER, signer.signature(d.body().getBytes(StandardCharsets.UTF_8)));
        }
        exchange.setProperty(HttpExchanges.REQUEST, new VendorRequest("the notification receiver", "completion notification",
                "POST", d.url(), headers, d.body(), attemptTimeout));
    }

    /** Anything but HTTP 200 within the attempt timeout is a failed attempt. */
    public void requireDelivered(Exchange exchange) {
        Delivery d = exchange.getProperty(DELIVERY, Delivery.class);
        VendorResponse r = exchange.getProperty(HttpExchanges.RESPONSE, VendorResponse.class);
        if (r.status() != 200) {
            throw new NotDelivered("HTTP " + r.status() + (r.snippet().isEmpty() ? "" : ": " + r.snippet()));
        }
        Duration took = Duration.between(d.lastAttemptAt(), clock.instant());
        if (took.compareTo(attemptTimeout) > 0) {
            throw new NotDelivered("HTTP 200 after " + Durations.format(took) + ", later than jobpilot.notify.attempt-timeout ("
                    + Durations.format(attemptTimeout) + ")");
        }
    }

    /** The receiver answered, but not with HTTP 200 in time. */
    public static final class NotDelivered extends RuntimeException {
        public NotDelivered(String message) {
            super(message);
        }
    }
}
