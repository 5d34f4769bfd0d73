package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Secrets;
import io.jobpilot.sandbox.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Serve the vendor simulators for manual testing until interrupted.")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", description = "Port to listen on (default 8089; 0 picks a free one).")
    int port = 8089;

    @Override
    public Integer call() throws Exception {
        try (Sandbox sandbox = Sandbox.start(port)) {
            DemoCommand.scriptDemo(sandbox);
            PrintWriter out = spec.commandLine().getOut();
            out.println("jobpilot simulators on " + sandbox.baseUrl() + " (Ctrl-C to stop)");
            sandbox.describe().forEach(line -> out.println("  " + line));
            out.println("Point jobpilot at them with, for example (secrets as environment variables, never on a command line):");
            sandbox.connectionProperties().forEach((k, v) -> out.println(Secrets.isSecretName(k)
                    ? "  export " + JobpilotConfig.envName(k) + "=" + v : "  --set " + k + "=" + v));
            out.flush();
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
            forever.await();
        }
        return 0;
    }
}
