package io.jobpilot.cli;

import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.RunRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "resume", mixinStandardHelpOptions = true, description = "Reattach to an unfinished run and see it through, never starting its remote job again; "
        + "for a run that has ended, continue a notification left pending.")
final class ResumeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Mixin
    RunIdArguments target;

    @Option(names = "--out", paramLabel = "DIR", description = "Artifacts directory (default: where the run first wrote).")
    Path out;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "A new deadline, from now (default: the run's own).")
    String timeout;

    @Option(names = "--on-timeout", paramLabel = "stop|detach|fail", description = "With --timeout: what to do at the deadline.")
    String onTimeout = "fail";

    @Option(names = "--restart-start", description = "For a run that ended with an uncertain start (UNCERTAIN_START): you "
            + "checked that the vendor did not act on it, so send the start once more.")
    boolean restartStart;

    @Mixin
    NotifyWaitOption notifyWait;

    @Override
    public Integer call() {
        RunRequest request = new RunRequest(null, Map.of(), target.runId, out, timeout == null ? null : RunCommand.parseTimeout(timeout),
                OnTimeout.parse(onTimeout), false, null);
        return RunOutput.perform(notifyWait.applyTo(config.loadForOneRun(), false), spec, target.json, false, null, runtime -> {
            if (restartStart) {
                runtime.beans().runs().restartStart(target.runId);
            }
            return runtime.run(request);
        });
    }
}
