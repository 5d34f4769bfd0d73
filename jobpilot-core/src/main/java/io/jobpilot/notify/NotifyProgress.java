package io.jobpilot.notify;

import io.jobpilot.config.Durations;
import io.jobpilot.notify.NotifySchedule.Plan;
import io.jobpilot.run.Progress;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunExchange;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What a command line that waits for its run's notification (exchange property {@code notifyForeground}) says on its
 * progress stream while it waits: each failed attempt with the next one and the give-up time, and how it ended. The
 * URL shows as {@link NotifyUrl#display}. Nothing for deliveries in the background (serve, embedded): they log.
 */
public final class NotifyProgress {
    /** Set to true where the command line waits for the whole schedule before it exits. */
    public static final String FOREGROUND = RunExchange.NOTIFY_FOREGROUND;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final Progress progress;
    private final NotifySchedule schedule;
    private final Clock clock;

    public NotifyProgress(Progress progress, NotifySchedule schedule, Clock clock) {
        this.progress = progress;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** An attempt failed and another one is planned in this process. */
    void retrying(Exchange e, Delivery d, String error, Plan plan) {
        say(e, to(d) + " not delivered yet (" + error + ", attempt " + d.attempts() + " of at most " + schedule.maxAttempts()
                + "); next attempt " + (plan.delay().isZero() ? "now" : "in " + Durations.format(plan.delay())) + ", giving up at "
                + CLOCK.format(schedule.giveUpAt(d.firstAttemptAt())) + " — Ctrl-C leaves it PENDING for `jobpilot resume "
                + d.runId() + "` or `jobpilot serve`");
    }

    /** The give-up time has come. */
    void dead(Exchange e, Delivery d, String lastError) {
        say(e, to(d) + " dead-lettered after " + d.attempts() + (d.attempts() == 1 ? " attempt" : " attempts") + " over "
                + Durations.format(Duration.between(d.firstAttemptAt(), clock.instant())) + " (last error: " + lastError + ")");
    }

    /** For the route: HTTP 200 came back. */
    public void delivered(Exchange e) {
        Delivery d = e.getProperty(NotifyRequests.DELIVERY, Delivery.class);
        say(e, to(d) + " delivered (attempt " + d.attempts() + ")");
    }

    private static String to(Delivery d) {
        return "notification to " + NotifyUrl.display(d.url());
    }

    private void say(Exchange e, String message) {
        Run run = RunExchange.run(e);
        if (run != null && e.getProperty(FOREGROUND, false, Boolean.class)) {
            progress.say(run, message);
        }
    }
}
