package io.jobpilot.notify;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.LifecycleStrategySupport;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The waits between a notification's attempts in this process: the scheduler Camel's redelivery uses for the
 * {@code notify-deliver} route, and their end when the process stops. A wait can last minutes, while what follows it
 * is already in the outbox, so a stopping CamelContext does not sit out the waits (until its shutdown timeout): each
 * pending wait ends at once, and {@link #process} (onRedelivery) stops the exchange instead of attempting again.
 */
public final class NotifyWaits extends LifecycleStrategySupport implements Processor {
    private final ScheduledThreadPoolExecutor scheduler;
    private volatile boolean stopping;

    public NotifyWaits(int threads, ThreadFactory threadFactory) {
        this.scheduler = new ScheduledThreadPoolExecutor(threads, threadFactory);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** For the route's dead letter channel (executorServiceRef). */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Each pending wait ends now (on this thread): its redelivery comes, and {@link #process} stops it. */
    @Override
    public void onContextStopping(CamelContext context) {
        stopping = true;
        for (Runnable wait : scheduler.getQueue().toArray(new Runnable[0])) {
            if (scheduler.remove(wait)) {
                wait.run();
            }
        }
        scheduler.shutdown();
    }

    /** onRedelivery: no further attempt from a stopping process (the next one takes the delivery from the outbox). */
    @Override
    public void process(Exchange exchange) {
        if (stopping) {
            exchange.setRouteStop(true);
        }
    }
}
