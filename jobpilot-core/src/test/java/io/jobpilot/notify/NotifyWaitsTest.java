package io.jobpilot.notify;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
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

    @Test
    void anInterruptEndsThePendingWaitsOnTheSchedulerAndEveryLaterWaitLastsNothing() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        Exchange delivery = new DefaultExchange(context);
        assertThat(waits.delivering(context)).as("no delivery under way: a signal keeps its meaning").isFalse();
        context.getInflightRepository().addRoute(NotifyWaits.DELIVER_ROUTE);   // as the route's start does
        context.getInflightRepository().add(delivery, NotifyWaits.DELIVER_ROUTE);
        assertThat(waits.delivering(context)).isTrue();
        CountDownLatch pending = new CountDownLatch(1);
        waits.scheduler().schedule(pending::countDown, 1, TimeUnit.HOURS);

        waits.interrupt();

        assertThat(pending.await(10, TimeUnit.SECONDS)).as("the hour's wait ended").isTrue();
        CountDownLatch later = new CountDownLatch(1);
        waits.scheduler().schedule(later::countDown, 1, TimeUnit.HOURS);   // an attempt under way failed afterwards
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        waits.process(delivery);
        assertThat(delivery.isRouteStop()).as("and no attempt follows").isTrue();
        assertThat(waits.delivering(context)).as("a second signal keeps its meaning").isFalse();
    }
}
