package io.jobpilot.serve;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.runtime.LedgerHealthCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** /observe/health is UP only when Camel, the ledger database and (with schedules) the Quartz scheduler are up. */
public final class ServeHealthChecks {
    private ServeHealthChecks() {
    }

    public static void register(CamelContext context, Ledger ledger, boolean schedulerExpected) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        LedgerHealthCheck.register(context, ledger);
        if (schedulerExpected) {
            registry.register(new AbstractHealthCheck("jobpilot", "scheduler") {
                @Override
                protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                    try {
                        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
                        if (quartz.getScheduler() != null && quartz.getScheduler().isStarted() && !quartz.getScheduler().isShutdown()) {
                            builder.up();
                        } else {
                            builder.message("the Quartz scheduler is not running").down();
                        }
                    } catch (Exception e) {
                        builder.message("the Quartz scheduler is not available: " + e.getMessage()).down();
                    }
                }
            });
        }
    }
}
