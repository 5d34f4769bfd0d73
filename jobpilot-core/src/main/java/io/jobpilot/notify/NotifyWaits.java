package io.jobpilot.notify;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.LifecycleStrategySupport;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The waits between a notification's attempts in this process: the scheduler Camel's redelivery uses for the
 * {@code notify-deliver} route, and their end when the process stops or the command line that waits is interrupted. A
 * wait can last minutes, while what follows it is already in the outbox, so neither a stopping CamelContext nor a
 * Ctrl-C sits out the waits: each pending wait ends at once (and any wait asked for afterwards lasts nothing), and
 * {@link #process} (onRedelivery) stops the exchange instead of attempting again. An attempt under way finishes (within
 * jobpilot.notify.attempt-timeout): cut short, nobody could tell whether the receiver got it.
 */
public final class NotifyWaits extends LifecycleStrategySupport implements Processor {
    /** The route whose exchanges are deliveries under way (jobpilot-notify.camel.yaml). */
    static final String DELIVER_ROUTE = "jobpilot-notify-deliver";

    private final Scheduler scheduler;
    private volatile boolean stopping;

    public NotifyWaits(int threads, ThreadFactory threadFactory) {
        this.scheduler = new Scheduler(threads, threadFactory);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** For the route's dead letter channel (executorServiceRef). */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Each pending wait ends now (on this thread): its redelivery comes, and {@link #process} stops it. */
    @Override
    public void onContextStopping(CamelContext context) {
        for (Runnable wait : scheduler.endWaits()) {
            wait.run();
        }
        scheduler.shutdown();
    }

    /** True while a delivery is under way in this process and its waits have not been ended. */
    public boolean delivering(CamelContext context) {
        return !stopping && context.getInflightRepository().size(DELIVER_ROUTE) > 0;
    }

    /**
     * Ctrl-C (SIGINT/SIGTERM) on a command line that waits for its notification: no further attempt from this process;
     * the pending waits end now, on the scheduler's threads (never on the signal's), and the delivery stays PENDING in
     * the outbox at its due time.
     */
    public void interrupt() {
        for (Runnable wait : scheduler.endWaits()) {
            scheduler.execute(wait);
        }
    }

    /** onRedelivery: no further attempt from a stopping process (the next one takes the delivery from the outbox). */
    @Override
    public void process(Exchange exchange) {
        if (stopping) {
            exchange.setRouteStop(true);
        }
    }

    /** Camel's redelivery waits; once stopping, a wait asked for lasts nothing (an attempt that failed meanwhile). */
    private final class Scheduler extends ScheduledThreadPoolExecutor {
        Scheduler(int threads, ThreadFactory threadFactory) {
            super(threads, threadFactory);
        }

        @Override
        public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return super.schedule(command, stopping ? 0 : delay, unit);
        }

        /** From now on no wait lasts; the ones pending are taken out of the queue and handed back. */
        synchronized Runnable[] endWaits() {
            stopping = true;
            Runnable[] pending = getQueue().toArray(new Runnable[0]);
            for (Runnable wait : pending) {
                remove(wait);
            }
            return pending;
        }
    }
}
