package io.jobpilot.app;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.RunOwner;
import io.jobpilot.runtime.JobpilotBeans;
import io.jobpilot.runtime.RouteFiles;
import io.jobpilot.schedule.ScheduleFires;
import io.jobpilot.schedule.ScheduleSpec;
import io.jobpilot.serve.ApiDescription;
import io.jobpilot.serve.ApiDocuments;
import io.jobpilot.serve.Launcher;
import io.jobpilot.serve.Leases;
import io.jobpilot.serve.RunApi;
import io.jobpilot.serve.RunArtifacts;
import io.jobpilot.serve.Schedules;
import io.jobpilot.serve.ServeHealthChecks;
import io.jobpilot.serve.WebPage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the long-lived runtime adds to one command's: the HTTP API, health and metrics on the API's server, the
 * schedules on Quartz, the launcher and run adoption; and their clean stop, which leaves every run unfinished and
 * released for the next start.
 */
final class ServeWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServeWiring.class);
    /** serve's own routes: the HTTP API, the web page of runs, the schedules and the callback intake. */
    private static final List<String> ROUTES = List.of("serve/jobpilot-api", "serve/jobpilot-web", ScheduleFires.TEMPLATE_ROUTES,
            RouteFiles.CALLBACKS);
    /** The routes that take requests, callbacks and lease work: stopped first, before the runs are drained. */
    private static final List<String> INTAKE_ROUTES = List.of("jobpilot-api-runs", "jobpilot-api-run", "jobpilot-api-run-stop",
            "jobpilot-iics-callback-intake", "jobpilot-leases");

    private final JobpilotConfig config;
    private final JobpilotBeans beans;
    private final AtomicReference<CamelContext> context = new AtomicReference<>();
    private final Launcher launcher;
    private ScheduleFires fires;
    private QuartzComponent quartz;

    ServeWiring(JobpilotConfig config, JobpilotBeans beans) {
        this.config = config;
        this.beans = beans;
        this.launcher = new Launcher(context::get, config.integer("jobpilot.serve.starter-threads"));
    }

    /**
     * The node identity a restarted node takes its own runs back by: jobpilot.server.node-id, by default this host and
     * the server port (stable across restarts, distinct for two nodes on one host).
     */
    static String nodeId(JobpilotConfig config) {
        String id = config.get("jobpilot.server.node-id");
        return id != null && !id.isBlank() ? id.trim() : RunOwner.hostName() + ":" + config.integer("jobpilot.server.port");
    }

    /** serve's camel-main, its beans bound, not started yet. */
    Main newMain(PrometheusMeterRegistry prometheus) {
        List<ScheduleSpec> specs = ScheduleSpec.all(config, beans.workflows());
        Leases leases = new Leases(beans.leases(), beans.ownership(), launcher);
        fires = new ScheduleFires(specs, beans.ledger(), beans.runs());
        Schedules schedules = new Schedules(fires, launcher, leases);
        Main main = CamelMains.newMain(config, beans, new RouteFiles(beans.workflows(), null).includePattern(ROUTES), properties());
        main.bind("metricsRegistry", prometheus);
        // the HTTP server's Vert.x reads its options from the registry: API calls are short, so a few workers do
        main.bind("vertxOptions", new io.vertx.core.VertxOptions().setWorkerPoolSize(config.integer("jobpilot.server.worker-threads")));
        main.bind("launcher", launcher);
        main.bind("runArtifacts", new RunArtifacts(beans.ledger()));
        main.bind("webPage", new WebPage());
        main.bind("apiDescription", new ApiDescription());
        // the launcher needs the context as soon as routes may run: the lease route adopts runs while Camel starts
        main.bind("jobpilotServeContext", new LifecycleStrategySupport() {
            @Override
            public void onContextInitializing(CamelContext initializing) {
                context.set(initializing);
            }
        });
        main.bind("leases", leases);
        main.bind("schedules", schedules);
        main.bind("runApi", new RunApi(beans.runs(), beans.ledger(), launcher, leases, config.get("jobpilot.server.api-token"),
                new ApiDocuments(config.get("jobpilot.server.files-dir"))));
        quartz = QuartzScheduler.component(config);
        main.bind("quartz", quartz);
        return main;
    }

    private Map<String, String> properties() {
        Map<String, String> p = CamelMains.serverProperties(config);
        p.put("camel.management.enabled", "true");
        // health and metrics share the API's server: the same host and port, so one listener (never a wider one)
        p.put("camel.management.host", p.get("camel.server.host"));
        p.put("camel.management.port", p.get("camel.server.port"));
        p.put("camel.management.health-check-enabled", "true");
        p.put("camel.management.metrics-enabled", "true");
        p.put("camel.metrics.enabled", "true");
        // per-endpoint timers of every exchange sent: all vendor calls go to one endpoint, so they tell nothing the
        // routes' and jobpilot's own meters do not, and at 10,000 runs in flight they took 7% of serve's processor
        p.put("camel.metrics.enableExchangeEventNotifier", "false");
        p.put("camel.health.exposure-level", "full");
        p.put("jobpilot.internal.lease-renewal-ms", String.valueOf(config.duration("jobpilot.serve.lease-renewal").toMillis()));
        return p;
    }

    /** Once Camel runs: the launcher starts runs in it, health checks are registered, the schedules' routes added. */
    void started(CamelContext camel) throws Exception {
        context.set(camel);
        ServeHealthChecks.register(camel, beans.ledger(), !fires.isEmpty());
        fires.addRoutes(camel);
    }

    /**
     * Before Camel stops: no more requests and fires, HTTP calls under way finish, every run is left unfinished and
     * released in the ledger (the next start adopts and resumes them), and the scheduler's threads are gone.
     */
    void stopTaking(CamelContext camel) {
        LOG.info("jobpilot stopping: {} run(s) left for the next start", launcher.following().size());
        INTAKE_ROUTES.forEach(route -> stopRoute(camel, route));
        camel.getRoutes().stream().map(r -> r.getRouteId()).filter(id -> id.startsWith(ScheduleFires.ROUTE_PREFIX))
                .toList().forEach(route -> stopRoute(camel, route));
        beans.runs().drain();
        beans.stopPolling(Duration.ofSeconds(5));
        beans.leases().close();
        QuartzScheduler.stop(quartz);
    }

    private static void stopRoute(CamelContext camel, String id) {
        try {
            camel.getRouteController().stopRoute(id, 2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("route {} did not stop cleanly: {}", id, e.getMessage());
        }
    }

    @Override
    public void close() {
        launcher.close();
    }
}
