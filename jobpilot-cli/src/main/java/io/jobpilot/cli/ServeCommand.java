package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.serve.ServerHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "The long-lived runtime: cron schedules, the HTTP API (/api/runs), /observe/health and "
        + "/observe/metrics on jobpilot.server.host (default 127.0.0.1) and .port. Unfinished runs are adopted and resumed at start; SIGTERM leaves them resumable.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        JobpilotConfig cfg = config.load();
        JobpilotRuntime runtime = JobpilotRuntime.serve(cfg,
                Progress.from(cfg, "jobpilot.progress.serve", spec.commandLine().getErr()));
        // SIGTERM and Ctrl-C are handled here, before the JVM shuts down: the drain still needs the database, which
        // H2 closes in its own shutdown hook.
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        spec.commandLine().getErr().println("jobpilot serving on " + ServerHost.of(cfg) + ":" + cfg.integer("jobpilot.server.port")
                + ": /api/runs, /observe/health, /observe/metrics (Ctrl-C or SIGTERM to stop)");
        spec.commandLine().getErr().flush();
        stop.await();
        spec.commandLine().getErr().println("jobpilot stopping: runs under way are left for the next start");
        spec.commandLine().getErr().flush();
        runtime.close();
        return 0;
    }
}
