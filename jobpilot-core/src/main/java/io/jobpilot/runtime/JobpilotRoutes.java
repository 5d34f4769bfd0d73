package io.jobpilot.runtime;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Metrics;
import io.jobpilot.run.Progress;
import io.jobpilot.schedule.HostSchedules;
import io.jobpilot.schedule.ScheduleFires;
import io.jobpilot.schedule.ScheduleSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Adds jobpilot to a Camel application that is not jobpilot's own: binds the beans, hands the configuration to the
 * routes as property placeholders, and loads the workflows' routes from the classpath. {@link JobpilotPlugin} calls it
 * for every CamelContext that has jobpilot-core on its classpath, as the context initializes; a host may call it itself
 * instead (with {@code jobpilot.embedded=false}). Then send to {@code jobpilot:<workflow>}.
 */
public final class JobpilotRoutes {
    /** The registry name of the installed {@link JobpilotBeans}: a context that has it has jobpilot already. */
    public static final String BEANS = "jobpilotBeans";
    /** The route every run goes through; present when the host listed jobpilot's YAML itself. */
    private static final String RUN_ROUTE = "jobpilot-run";

    private JobpilotRoutes() {
    }

    /**
     * jobpilot configured through the host's own property sources (application.properties, -D, JOBPILOT_* environment
     * variables, Spring's Environment), over the defaults. Progress goes to the log unless jobpilot.progress says
     * otherwise. The beans close when the context stops.
     */
    public static JobpilotBeans install(CamelContext context) {
        return install(context, configOf(context));
    }

    /** @return the beans (ledger connections, thread pools), closed when the context stops */
    public static JobpilotBeans install(CamelContext context, JobpilotConfig config) {
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        JobpilotBeans beans = new JobpilotBeans(config, Progress.from(config, "jobpilot.progress", new PrintWriter(System.err, true)),
                new Metrics(meters != null ? meters : new SimpleMeterRegistry()));
        try {
            beans.bindTo(context.getRegistry()::bind);
            beans.attachTo(context);
            PropertiesComponent properties = context.getPropertiesComponent();
            config.toProperties().forEach((k, v) -> properties.addInitialProperty((String) k, (String) v));
            beans.routeProperties().forEach(properties::addInitialProperty);
            if (context.getCamelContextExtension().getContextPlugin(org.apache.camel.health.HealthCheckRegistry.class) != null) {
                LedgerHealthCheck.register(context, beans.ledger());
            }
            if (((ModelCamelContext) context).getRouteDefinition(RUN_ROUTE) == null) {
                PluginHelper.getRoutesLoader(context).loadRoutes(routes(context, beans));
            }
            addSchedules(context, beans);
            context.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onContextStopped(CamelContext stopped) {
                    beans.close();
                }
            });
            return beans;
        } catch (Exception e) {
            beans.close();
            throw e instanceof RuntimeException re ? re : new IllegalStateException("jobpilot could not add its routes: " + e.getMessage(), e);
        }
    }

    /**
     * jobpilot.schedules.* in a host: the same template and fire rules as serve's (one run per fire time across every
     * process on the ledger, none while the previous one goes), on the host's Quartz (camel-quartz, RAM job store
     * unless the host configures one), each fire's run on the Quartz thread.
     */
    private static void addSchedules(CamelContext context, JobpilotBeans beans) throws Exception {
        ScheduleFires fires = new ScheduleFires(ScheduleSpec.all(beans.config(), beans.workflows()), beans.ledger(), beans.runs());
        if (fires.isEmpty()) {
            return;
        }
        context.getRegistry().bind("schedules", new HostSchedules(fires, beans.leases(), context.createProducerTemplate()));
        PluginHelper.getRoutesLoader(context).loadRoutes(List.of(ResourceHelper.resolveResource(context,
                RouteFiles.location(ScheduleFires.TEMPLATE_ROUTES))));
        fires.addRoutes(context);
    }

    /** The configuration as the host's property sources give it. */
    public static JobpilotConfig configOf(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties listed = properties.loadProperties(key -> key.startsWith("jobpilot."));
        Map<String, String> given = new LinkedHashMap<>();
        listed.stringPropertyNames().forEach(k -> given.put(k, listed.getProperty(k)));
        // a library logs what it does (SLF4J) instead of writing to the host's stderr
        return JobpilotConfig.resolved(Map.of("jobpilot.progress", "log"), key -> properties.resolveProperty(key).orElse(null), given);
    }

    /** The workflows' routes; the callback intake too when callbacks are configured (it needs the host's HTTP server). */
    private static List<Resource> routes(CamelContext context, JobpilotBeans beans) {
        List<String> extra = beans.config().get("jobpilot.callback.public-url") != null ? List.of(RouteFiles.CALLBACKS) : List.of();
        return new RouteFiles(beans.workflows(), null).files(extra).stream().map(location -> ResourceHelper.resolveResource(context, location)).toList();
    }
}
