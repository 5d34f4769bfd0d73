package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.runtime.JobpilotRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "stop", description = "Stop the remote job of a run (one that started it and has not ended). Exit code 5 (STOPPED).")
final class StopCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--json", description = "Print the RunResult as one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        JobpilotConfig cfg = config.load();
        try (JobpilotRuntime runtime = JobpilotRuntime.start(ConfigOptions.home(), cfg, Progress.parse(cfg.get("jobpilot.progress", "stderr"), spec.commandLine().getErr()))) {
            RunResult result = runtime.stop(new RunRequest(null, Map.of(), runId, null, null, null, false, null));
            RunOutput.print(result, json, spec.commandLine().getOut());
            return result.exitCode();
        }
    }
}
