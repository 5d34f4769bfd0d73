package io.jobpilot.schedule;

import io.jobpilot.run.RunLeases;
import io.jobpilot.run.RunOrigin;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Bean {@code schedules} in a host application: a fire runs its workflow on the host's Quartz thread, to its end (a
 * host has no serve launcher; give its Quartz enough threads for the schedules that may run at once).
 */
public final class HostSchedules {
    private final ScheduleFires fires;
    private final RunLeases leases;
    private final ProducerTemplate template;

    public HostSchedules(ScheduleFires fires, RunLeases leases, ProducerTemplate template) {
        this.fires = fires;
        this.leases = leases;
        this.template = template;
    }

    public void fire(Exchange exchange) {
        fires.open(exchange, name -> () -> RunOrigin.schedule(name, leases.owner(), leases.leaseUntil()))
                .ifPresent(run -> template.sendBody("direct:jobpilot-run", run));
    }
}
