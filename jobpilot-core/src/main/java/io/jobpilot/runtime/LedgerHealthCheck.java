package io.jobpilot.runtime;

import io.jobpilot.ledger.Ledger;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Camel health check jobpilot/ledger: DOWN while the run ledger's database cannot be reached. */
public final class LedgerHealthCheck extends AbstractHealthCheck {
    private final Ledger ledger;

    private LedgerHealthCheck(Ledger ledger) {
        super("jobpilot", "ledger");
        this.ledger = ledger;
    }

    /** Into the context's health check registry (serve's, or the host's own). */
    public static void register(CamelContext context, Ledger ledger) {
        HealthCheckRegistry.get(context).register(new LedgerHealthCheck(ledger));
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (ledger.isReachable()) {
            builder.up();
        } else {
            builder.message("the run ledger database cannot be reached").down();
        }
    }
}
