package io.jobpilot.notify;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifyWaitsTest {
    private final NotifyWaits waits = new NotifyWaits(1, Executors.defaultThreadFactory());

    @Test
    void aStoppingContextEndsEveryPendingWaitAtOnceAndTheRedeliveryThenStops() {
        AtomicBoolean waited = new AtomicBoolean();
        waits.scheduler().schedule(() -> waited.set(true), 1, TimeUnit.HOURS);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());

        waits.process(exchange);
        assertThat(exchange.isRouteStop()).as("redelivered as usual while running").isFalse();

        waits.onContextStopping(null);

        assertThat(waited).isTrue();
        waits.process(exchange);
        assertThat(exchange.isRouteStop()).isTrue();
        assertThatThrownBy(() -> waits.scheduler().schedule(() -> { }, 1, TimeUnit.SECONDS))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
