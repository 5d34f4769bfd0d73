package io.jobpilot.app;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.ledger.LedgerSettings;
import io.jobpilot.runtime.JobpilotBeans;
import io.jobpilot.runtime.RouteFiles;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Metrics;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.RunOwner;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.serve.ApiDocuments;
import io.jobpilot.serve.Launcher;
import io.jobpilot.serve.Leases;
import io.jobpilot.serve.RunApi;
import io.jobpilot.schedule.ScheduleFires;
import io.jobpilot.schedule.ScheduleSpec;
import io.jobpilot.serve.Schedules;
import io.jobpilot.serve.ServeHealthChecks;
import io.jobpilot.serve.ServerHost;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * jobpilot on camel-main: the routes from the classpath (jobpilot/routes), the merged configuration, the beans. Started for one
 * command (run, resume, demo), or as the long-lived runtime ({@link #serve}) with the HTTP API, health, metrics,
 * schedules and run adoption.
 */
public final class JobpilotRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobpilotRuntime.class);
    /** Routes that need the HTTP server: the callback intake (serve mode, and a run that receives callbacks). */
    private static final String CALLBACK_ROUTES = RouteFiles.CALLBACKS;
    /** serve's own routes: the HTTP API and the schedules. */
    private static final List<String> SERVE_ROUTES = List.of("serve/jobpilot-api", ScheduleFires.TEMPLATE_ROUTES, CALLBACK_ROUTES);

    private final Main main;
    private final JobpilotBeans beans;
    private final ProducerTemplate template;
    private final Launcher launcher;
    private QuartzComponent quartz;

    private JobpilotRuntime(Main main, JobpilotBeans beans, Launcher launcher) throws Exception {
        this.main = main;
        this.beans = beans;
        this.launcher = launcher;
        this.template = main.getCamelTemplate();
    }

    /** For one command: no server, no schedules. */
    public static JobpilotRuntime start(JobpilotConfig config, Progress progress) {
        return start(config, progress, false);
    }

    /**
     * For one command, no schedules; with {@code listen} (a run that receives callbacks, e.g. iics-job -p callback=true)
     * the HTTP server runs on {@code jobpilot.server.port} with the callback intake (routes/callbacks) only.
     */
    public static JobpilotRuntime start(JobpilotConfig config, Progress progress, boolean listen) {
        return start(config, progress, listen, null);
    }

    /**
     * As {@link #start(JobpilotConfig, Progress, boolean)}, for a command that runs one {@code workflow} (null:
     * any): of the workflows' own route files only its one is loaded, so Camel builds a third of the routes.
     */
    public static JobpilotRuntime start(JobpilotConfig config, Progress progress, boolean listen, String workflow) {
        LedgerSettings.from(config).requireOutlivesProcess();
        JobpilotBeans beans = new JobpilotBeans(config, progress);
        try {
            RouteFiles routes = new RouteFiles(beans.workflows(), workflow);
            Main main = listen ? newMain(config, beans, routes.includePattern(List.of(CALLBACK_ROUTES)), serverProperties(config))
                    : newMain(config, beans, routes.includePattern(List.of()), Map.of());
            main.start();
            requireStarted(main);
            beans.attachTo(main.getCamelContext());
            return new JobpilotRuntime(main, beans, null);
        } catch (Exception e) {
            beans.close();
            throw startFailure(e);
        }
    }

    /**
     * The long-lived runtime: HTTP API, /observe/health and /observe/metrics on {@code jobpilot.server.port}, cron
     * schedules on Quartz (JDBC job store in the ledger database), and adoption of unfinished runs.
     */
    public static JobpilotRuntime serve(JobpilotConfig config, Progress progress) {
        ServerHost.requireGuardedApi(config);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JobpilotBeans beans = new JobpilotBeans(config, progress, new Metrics(prometheus), nodeId(config));
        AtomicReference<CamelContext> context = new AtomicReference<>();
        Launcher launcher = new Launcher(context::get, config.integer("jobpilot.serve.starter-threads"));
        try {
            List<ScheduleSpec> specs = ScheduleSpec.all(config, beans.workflows());
            Leases leases = new Leases(beans.leases(), beans.ownership(), launcher);
            ScheduleFires fires = new ScheduleFires(specs, beans.ledger(), beans.runs());
            Schedules schedules = new Schedules(fires, launcher, leases);
            Map<String, String> serveProps = serverProperties(config);
            serveProps.put("camel.management.enabled", "true");
            // health and metrics share the API's server: the same host and port, so one listener (never a wider one)
            serveProps.put("camel.management.host", serveProps.get("camel.server.host"));
            serveProps.put("camel.management.port", serveProps.get("camel.server.port"));
            serveProps.put("camel.management.health-check-enabled", "true");
            serveProps.put("camel.management.metrics-enabled", "true");
            serveProps.put("camel.metrics.enabled", "true");
            serveProps.put("camel.health.exposure-level", "full");
            serveProps.put("jobpilot.internal.lease-renewal-ms", String.valueOf(config.duration("jobpilot.serve.lease-renewal").toMillis()));
            Main main = newMain(config, beans, new RouteFiles(beans.workflows(), null).includePattern(SERVE_ROUTES), serveProps);
            main.bind("metricsRegistry", prometheus);
            // the HTTP server's Vert.x reads its options from the registry: API calls are short, so a few workers do
            main.bind("vertxOptions", new io.vertx.core.VertxOptions().setWorkerPoolSize(config.integer("jobpilot.server.worker-threads")));
            main.bind("launcher", launcher);
            main.bind("leases", leases);
            main.bind("schedules", schedules);
            main.bind("runApi", new RunApi(beans.runs(), beans.ledger(), launcher, leases, config.get("jobpilot.server.api-token"),
                    new ApiDocuments(config.get("jobpilot.server.files-dir"))));
            QuartzComponent quartz = quartz(config);
            main.bind("quartz", quartz);
            main.start();
            requireStarted(main);
            beans.attachTo(main.getCamelContext());
            context.set(main.getCamelContext());
            ServeHealthChecks.register(main.getCamelContext(), beans.ledger(), !fires.isEmpty());
            fires.addRoutes(main.getCamelContext());
            JobpilotRuntime runtime = new JobpilotRuntime(main, beans, launcher);
            runtime.quartz = quartz;
            return runtime;
        } catch (Exception e) {
            launcher.close();
            beans.close();
            throw startFailure(e);
        }
    }

    /**
     * The node identity a restarted node takes its own runs back by: jobpilot.server.node-id, by default this host and
     * the server port (stable across restarts, distinct for two nodes on one host).
     */
    static String nodeId(JobpilotConfig config) {
        String id = config.get("jobpilot.server.node-id");
        return id != null && !id.isBlank() ? id.trim() : RunOwner.hostName() + ":" + config.integer("jobpilot.server.port");
    }

    /** Camel's HTTP server on jobpilot.server.port and .host (loopback unless configured). */
    private static Map<String, String> serverProperties(JobpilotConfig config) {
        Map<String, String> p = new HashMap<>();
        p.put("camel.server.enabled", "true");
        p.put("camel.server.port", String.valueOf(config.integer("jobpilot.server.port")));
        p.put("camel.server.host", ServerHost.of(config));
        // the server reads a whole body before any route sees it: cap it so no request can fill the heap
        p.put("camel.server.max-body-size", String.valueOf(config.integer("jobpilot.server.max-body")));
        return p;
    }

    /** @param routes camel.main.routes-include-pattern (see {@link RouteFiles}) */
    private static Main newMain(JobpilotConfig config, JobpilotBeans beans, String routes, Map<String, String> extra) {
        Main main = new Main();
        Properties props = config.toProperties();
        props.putAll(beans.routeProperties());
        props.putAll(extra);
        props.putIfAbsent("camel.main.name", "jobpilot");
        props.putIfAbsent("camel.main.jmx-enabled", "false");
        // past the timeout Camel would interrupt what is still running, and a thread interrupted while H2 writes its
        // file closes the whole embedded database (every later ledger write fails): let it finish instead
        props.putIfAbsent("camel.main.shutdown-now-on-timeout", "false");
        props.putIfAbsent("camel.main.shutdown-timeout", String.valueOf(config.duration("jobpilot.serve.shutdown-timeout").toSeconds()));
        // large answers (an IICS export package) spool to a temp file on their way to disk instead of the heap
        props.putIfAbsent("camel.main.stream-caching-spool-enabled", "true");
        props.setProperty("camel.main.routes-include-pattern", routes);
        main.setInitialProperties(props);
        beans.bindTo(main::bind);
        return main;
    }

    /** Quartz with its JDBC job store in the ledger database, clustered so one fire starts one run across nodes. */
    private static QuartzComponent quartz(JobpilotConfig config) {
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

    private static void requireStarted(Main main) {
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("Camel did not start (see the log above)");
        }
    }

    private static RuntimeException startFailure(Exception e) {
        if (e instanceof io.jobpilot.run.UsageException u) {
            return u;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new RunFailure(ErrorKind.INTERNAL, "start", null, "jobpilot could not start: " + root.getMessage(), Outcome.FAILED, e);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public JobpilotBeans beans() {
        return beans;
    }

    /** Runs (or resumes) a workflow to its end and returns the result; usage errors are thrown as UsageException. */
    public RunResult run(RunRequest request) {
        return call("direct:jobpilot-run", request);
    }

    /** Stops the remote job of a recorded run (its workflow's -stop route) and returns the run as it ended. */
    public RunResult stop(String runId) {
        return call("direct:jobpilot-stop", runId);
    }

    private RunResult call(String endpoint, Object body) {
        try {
            return template.requestBody(endpoint, body, RunResult.class);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * A clean stop of the long-lived runtime: stop taking requests and fires, let HTTP calls under way finish, leave
     * every run unfinished and released in the ledger (the next start adopts and resumes them), then stop Camel.
     */
    @Override
    public void close() {
        try {
            if (launcher != null) {
                LOG.info("jobpilot stopping: {} run(s) left for the next start", launcher.following().size());
                for (String route : List.of("jobpilot-api-runs", "jobpilot-api-run", "jobpilot-api-run-stop", "jobpilot-iics-callback-intake",
                        "jobpilot-leases")) {
                    stopRoute(route);
                }
                main.getCamelContext().getRoutes().stream().map(r -> r.getRouteId()).filter(id -> id.startsWith(ScheduleFires.ROUTE_PREFIX))
                        .toList().forEach(this::stopRoute);
                beans.runs().drain();
                beans.stopPolling(Duration.ofSeconds(5));
                beans.leases().close();
                stopScheduler();
            }
            main.stop();
        } finally {
            if (launcher != null) {
                launcher.close();
            }
            beans.close();
        }
    }

    /** Quartz's own threads must be gone before its database connections are: wait for them. */
    private void stopScheduler() {
        if (quartz != null && quartz.getScheduler() != null) {
            try {
                quartz.getScheduler().shutdown(true);
            } catch (Exception e) {
                LOG.debug("the scheduler did not stop cleanly: {}", e.getMessage());
            }
        }
    }

    private void stopRoute(String id) {
        try {
            main.getCamelContext().getRouteController().stopRoute(id, 2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("route {} did not stop cleanly: {}", id, e.getMessage());
        }
    }
}
