package io.jobpilot.app;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.ledger.LedgerSettings;
import org.apache.camel.component.quartz.QuartzComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/** serve's schedules run on Quartz with its JDBC job store in the ledger database, clustered across nodes. */
final class QuartzScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(QuartzScheduler.class);

    private QuartzScheduler() {
    }

    /** Clustered in the ledger database, so one fire starts one run across nodes. */
    static QuartzComponent component(JobpilotConfig config) {
        LedgerSettings ledger = LedgerSettings.from(config);
        boolean postgres = ledger.isPostgres();
        Map<String, Object> q = new HashMap<>();
        q.put("org.quartz.scheduler.instanceName", "jobpilot");
        q.put("org.quartz.scheduler.instanceId", "AUTO");
        q.put("org.quartz.scheduler.skipUpdateCheck", "true");
        q.put("org.quartz.threadPool.threadCount", String.valueOf(config.integer("jobpilot.schedules.threads")));
        q.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        q.put("org.quartz.jobStore.driverDelegateClass", postgres ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
                : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        q.put("org.quartz.jobStore.dataSource", "ledger");
        q.put("org.quartz.jobStore.isClustered", "true");
        q.put("org.quartz.jobStore.clusterCheckinInterval", "5000");
        q.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        q.put("org.quartz.jobStore.misfireThreshold", String.valueOf(config.duration("jobpilot.schedules.misfire-threshold").toMillis()));
        q.put("org.quartz.dataSource.ledger.provider", "hikaricp");
        q.put("org.quartz.dataSource.ledger.driver", postgres ? "org.postgresql.Driver" : "org.h2.Driver");
        q.put("org.quartz.dataSource.ledger.URL", ledger.jdbcUrl());
        q.put("org.quartz.dataSource.ledger.user", ledger.username());
        q.put("org.quartz.dataSource.ledger.password", ledger.password());
        q.put("org.quartz.dataSource.ledger.maxConnections", "4");
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(q);
        quartz.setPrefixInstanceName(false);
        quartz.setEnableJmx(false);
        return quartz;
    }

    /** Quartz's own threads must be gone before its database connections are: wait for them. */
    static void stop(QuartzComponent quartz) {
        if (quartz.getScheduler() != null) {
            try {
                quartz.getScheduler().shutdown(true);
            } catch (Exception e) {
                LOG.debug("the scheduler did not stop cleanly: {}", e.getMessage());
            }
        }
    }
}
