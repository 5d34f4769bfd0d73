package io.jobpilot.notify;

import io.jobpilot.config.Durations;
import io.jobpilot.notify.NotifySchedule.Plan;
import io.jobpilot.notify.NotifySchedule.Step;
import io.jobpilot.run.RunExchange;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * What happens when an attempt of a completion notification fails, for the {@code notify-deliver} route's redelivery
 * error handler: {@link #process} (onExceptionOccurred) records the failure and plans what follows with
 * {@link NotifySchedule}, handing the wait to Camel as {@code CamelRedeliveryDelay}; {@link #retry} (retryWhile) says
 * whether Camel redelivers; {@link #settle} (the dead letter route) records where the delivery ends up when it does
 * not: dead-lettered, or left in the outbox for a later attempt (by this or another process).
 */
public final class NotifyFailures implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyFailures.class);
    public static final String PLAN = "notifyPlan";
    /** Set to true where the process does not stay up for the waits (the command line). */
    public static final String IMMEDIATE_ONLY = RunExchange.NOTIFY_IMMEDIATE_ONLY;

    private final NotifySchedule schedule;
    private final DeliveryRecords outbox;
    private final NotifyProgress progress;
    private final Clock clock;

    public NotifyFailures(NotifySchedule schedule, DeliveryRecords outbox, NotifyProgress progress, Clock clock) {
        this.schedule = schedule;
        this.outbox = outbox;
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.removeProperty(PLAN);
        Delivery d = exchange.getProperty(NotifyRequests.DELIVERY, Delivery.class);
        boolean immediateOnly = exchange.getProperty(IMMEDIATE_ONLY, false, Boolean.class);
        Plan plan = schedule.afterFailure(d.attempts(), d.firstAttemptAt(), clock.instant(), immediateOnly);
        String error = NotifyUrl.scrub(describe(exchange.getException()), d.url());
        outbox.failed(d, error, plan.nextAttemptAt());
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, plan.delay().toMillis());
        exchange.setProperty(PLAN, plan);
        LOG.info("{}: attempt {} failed ({}){}", d, d.attempts(), error, plan.step() == Step.GIVE_UP ? ""
                : "; next attempt in " + Durations.format(plan.delay()));
        if (plan.retry()) {
            progress.retrying(exchange, d, error, plan);
        }
    }

    /** retryWhile: only a RETRY plan is redelivered by Camel. */
    public boolean retry(Exchange exchange) {
        Plan plan = exchange.getProperty(PLAN, Plan.class);
        return plan != null && plan.retry();
    }

    /** Dead letter: DEAD after the give-up time; otherwise (immediate attempts done, or stopping) it waits in the outbox. */
    public void settle(Exchange exchange) {
        Delivery d = exchange.getProperty(NotifyRequests.DELIVERY, Delivery.class);
        Plan plan = exchange.getProperty(PLAN, Plan.class);
        if (plan != null && plan.step() == Step.GIVE_UP) {
            outbox.dead(d);
            progress.dead(exchange, d, NotifyUrl.scrub(describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)),
                    d.url()));
            LOG.warn("{}: dead-lettered after {} attempts over {}", d, d.attempts(),
                    Durations.format(Duration.between(d.firstAttemptAt(), clock.instant())));
        } else {
            outbox.release(d);
        }
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        if (t instanceof NotifyRequests.NotDelivered) {
            return t.getMessage();
        }
        String what = t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        return t instanceof IOException ? "network error: " + what : what;
    }
}
