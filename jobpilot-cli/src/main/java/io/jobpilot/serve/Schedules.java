package io.jobpilot.serve;

import io.jobpilot.schedule.ScheduleFires;
import org.apache.camel.Exchange;

/**
 * Bean {@code schedules} in serve: a fire ({@link ScheduleFires}) hands its run to the {@link Launcher}. A Quartz
 * thread never waits for a run.
 */
public final class Schedules {
    private final ScheduleFires fires;
    private final Launcher launcher;
    private final Leases leases;

    public Schedules(ScheduleFires fires, Launcher launcher, Leases leases) {
        this.fires = fires;
        this.launcher = launcher;
        this.leases = leases;
    }

    public void fire(Exchange exchange) {
        fires.open(exchange, name -> () -> leases.schedule(name)).ifPresent(run -> launcher.launch(run.runId(), run));
    }
}
