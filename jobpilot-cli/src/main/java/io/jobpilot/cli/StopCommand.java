package io.jobpilot.cli;

import io.jobpilot.run.Outcome;
import io.jobpilot.run.RunFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the remote job of a run and record it STOPPED (exit 5); a run that has ended, or has not started a remote job, is refused (exit 2).")
final class StopCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Mixin
    RunIdArguments target;

    @Override
    public Integer call() {
        try {
            return RunOutput.perform(config.loadForOneRun(), spec, target.json, false, null, runtime -> runtime.stop(target.runId));
        } catch (RunFailure f) {
            spec.commandLine().getErr().println("jobpilot: could not stop run " + target.runId + " at '" + f.step() + "'"
                    + (f.vendorCode() == null ? "" : " (vendor code " + f.vendorCode() + ")") + ": " + f.getMessage());
            return Outcome.FAILED.exitCode();
        }
    }
}
