package io.jobpilot.notify;

import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

class NotifyRequestsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00.700Z");
    private final Delivery delivery = new Delivery("run-7", "run-7", "https://hooks.example/x", "{\"runId\":\"run-7\"}", 0, null);
    private Exchange exchange;

    @BeforeEach
    void anAttempt() {
        exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(NotifyRequests.DELIVERY, delivery);
    }

    private static NotifyRequests requests(String secret) {
        return new NotifyRequests(new NotifySigner(secret), Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void postsTheStoredBodyWithTheIdempotencyKeyAndTheAttemptTimeout() {
        requests(null).prepare(exchange);

        VendorRequest r = exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.url()).isEqualTo("https://hooks.example/x");
        assertThat(r.body()).isEqualTo("{\"runId\":\"run-7\"}");
        assertThat(r.headers()).isEqualTo(Map.of("Content-Type", "application/json", "Idempotency-Key", "run-7",
                "webhook-id", "run-7", "webhook-timestamp", Long.toString(NOW.getEpochSecond())));
        assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void signsTheDeliveryIdThisAttemptsTimestampAndTheBodyWhenASecretIsSet() {
        requests("k").prepare(exchange);

        VendorRequest r = exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
        assertThat(r.headers()).containsAllEntriesOf(new NotifySigner("k").headers("run-7", NOW.getEpochSecond(),
                delivery.body().getBytes(StandardCharsets.UTF_8)));
        new WebhookVerifier("k", WebhookVerifier.DEFAULT_TOLERANCE, Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(r.headers()::get, r.body().getBytes(StandardCharsets.UTF_8));
    }

    private void answered(int status) {
        exchange.setProperty(HttpExchanges.RESPONSE, new VendorResponse(null, status, Map.of(), "busy".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void only200CountsAsDelivered() {
        answered(200);
        assertThatNoException().isThrownBy(() -> requests(null).requireDelivered(exchange));

        answered(202);
        assertThatThrownBy(() -> requests(null).requireDelivered(exchange))
                .isInstanceOf(NotifyRequests.NotDelivered.class).hasMessage("HTTP 202: busy");
    }
}
