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
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.serve.ServerHost;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * jobpilot on camel-main: the routes from the classpath (jobpilot/routes), the merged configuration, the beans. Started for one
 * command (run, resume, demo), or as the long-lived runtime ({@link #serve}) with the HTTP API, health, metrics,
 * schedules and run adoption ({@link ServeWiring}).
 */
public final class JobpilotRuntime implements AutoCloseable {
    private final Main main;
    private final JobpilotBeans beans;
    private final ProducerTemplate template;
    /** serve's own parts; null for one command. */
    private final ServeWiring serve;

    private JobpilotRuntime(Main main, JobpilotBeans beans, ServeWiring serve) throws Exception {
        this.main = main;
        this.beans = beans;
        this.serve = serve;
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
        StartupWarmup.awaitLogging();
        JobpilotBeans beans = JobpilotBeans.forOneCommand(config, progress);
        Main main = null;
        try {
            RouteFiles routes = new RouteFiles(beans.workflows(), workflow);
            main = listen
                    ? CamelMains.newMain(config, beans, routes.includePattern(List.of(RouteFiles.CALLBACKS)),
                            CamelMains.serverProperties(config))
                    : CamelMains.newMain(config, beans, routes.includePattern(List.of()), Map.of());
            main.start();
            CamelMains.requireStarted(main);
            beans.ledger().awaitOpen();
            beans.attachTo(main.getCamelContext());
            return new JobpilotRuntime(main, beans, null);
        } catch (Exception e) {
            if (main != null) {
                main.stop();
            }
            beans.close();
            throw ledgerFailure(beans).orElseGet(() -> startFailure(e));
        }
    }

    /** A ledger that could not be opened fails the start as itself (a usage error stays one), whatever Camel made of it. */
    private static Optional<RuntimeException> ledgerFailure(JobpilotBeans beans) {
        try {
            beans.ledger().awaitOpen();
            return Optional.empty();
        } catch (RuntimeException openFailed) {
            return Optional.of(openFailed);
        }
    }

    /**
     * The long-lived runtime: HTTP API, /observe/health and /observe/metrics on {@code jobpilot.server.port}, cron
     * schedules on Quartz (JDBC job store in the ledger database), and adoption of unfinished runs.
     */
    public static JobpilotRuntime serve(JobpilotConfig config, Progress progress) {
        ServerHost.requireGuardedApi(config);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JobpilotBeans beans = new JobpilotBeans(config, progress, new Metrics(prometheus), ServeWiring.nodeId(config));
        ServeWiring serve = new ServeWiring(config, beans);
        try {
            Main main = serve.newMain(prometheus);
            main.start();
            CamelMains.requireStarted(main);
            beans.attachTo(main.getCamelContext());
            serve.started(main.getCamelContext());
            return new JobpilotRuntime(main, beans, serve);
        } catch (Exception e) {
            serve.close();
            beans.close();
            throw startFailure(e);
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
     * A clean stop: the long-lived runtime first stops taking requests and fires and leaves its runs to the next start
     * ({@link ServeWiring#stopTaking}); then Camel stops, then the beans.
     */
    @Override
    public void close() {
        try {
            if (serve != null) {
                serve.stopTaking(main.getCamelContext());
            }
            main.stop();
        } finally {
            if (serve != null) {
                serve.close();
            }
            beans.close();
        }
    }
}
