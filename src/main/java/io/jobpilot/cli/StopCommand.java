package io.jobpilot.cli;

import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
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
        RunRequest request = new RunRequest(null, Map.of(), runId, null, null, null, false, null);
        return RunOutput.perform(config, spec, json, runtime -> runtime.stop(request));
    }
}
