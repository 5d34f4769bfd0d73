package io.jobpilot.runtime;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.run.UsageException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import java.nio.file.Path;
import java.util.Properties;

/**
 * jobpilot on camel-main: the routes from {@code <home>/routes}, the merged configuration, the beans. Started for one
 * command (run, resume, demo) or for the long-lived runtime.
 */
public final class JobpilotRuntime implements AutoCloseable {
    private final Main main;
    private final JobpilotBeans beans;
    private final ProducerTemplate template;

    private JobpilotRuntime(Main main, JobpilotBeans beans) throws Exception {
        this.main = main;
        this.beans = beans;
        this.template = main.getCamelTemplate();
    }

    public static JobpilotRuntime start(Path home, JobpilotConfig config, Progress progress) {
        JobpilotBeans beans = new JobpilotBeans(config, progress);
        try {
            Main main = new Main();
            Properties props = config.toProperties();
            props.putAll(beans.routeProperties());
            props.putIfAbsent("camel.main.name", "jobpilot");
            props.putIfAbsent("camel.main.jmx-enabled", "false");
            props.putIfAbsent("camel.main.shutdown-timeout", "10");
            props.setProperty("camel.main.routes-include-pattern", "file:" + home.resolve("routes").toAbsolutePath() + "/*.camel.yaml");
            main.setInitialProperties(props);
            beans.bindTo(main::bind);
            main.start();
            if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
                throw new IllegalStateException("Camel did not start (see the log above)");
            }
            beans.attachTo(main.getCamelContext());
            return new JobpilotRuntime(main, beans);
        } catch (Exception e) {
            beans.close();
            throw new RunFailure(io.jobpilot.run.ErrorKind.INTERNAL, "start", null, "jobpilot could not start: " + e.getMessage(),
                    io.jobpilot.run.Outcome.FAILED, e);
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public JobpilotBeans beans() {
        return beans;
    }

    /** Runs (or resumes) a workflow to its end and returns the result; usage errors are thrown as {@link UsageException}. */
    public RunResult run(RunRequest request) {
        try {
            return template.requestBody("direct:jobpilot-run", request, RunResult.class);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            main.stop();
        } finally {
            beans.close();
        }
    }
}
