package io.jobpilot.cli;

import io.jobpilot.config.Durations;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.notify.NotifyUrl;
import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.UsageException;
import io.jobpilot.run.Workflows;
import io.jobpilot.runtime.WorkflowCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", description = "Run a workflow and see it through. Exit code: 0 SUCCEEDED, 1 WARNING, 2 usage error, "
        + "3 FAILED, 4 TIMED_OUT, 5 STOPPED, 6 RUNNING, 7 START_FAILED.")
final class RunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW", completionCandidates = WorkflowNames.class,
            description = "One of: ${COMPLETION-CANDIDATES}; `run WORKFLOW --help` lists its parameters.")
    String workflow;

    @Option(names = {"-h", "--help"}, description = "Show this help, and with a WORKFLOW what it does and its parameters.")
    boolean help;

    @Option(names = "-p", paramLabel = "NAME=VALUE", description = "A workflow parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where <runId>/ with the artifacts goes (default: runs/).")
    Path out;

    @Option(names = "--run-id", paramLabel = "ID", description = "Choose the run id; an existing run with this id is resumed, not restarted.")
    String runId;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Deadline of the run (500ms, 30s, 5m, 2h); default jobpilot.run.timeout.")
    String timeout;

    @Option(names = "--on-timeout", paramLabel = "stop|detach|fail", description = "At the deadline: fail (TIMED_OUT, default), "
            + "stop the remote job (STOPPED), or detach (RUNNING, resume later).")
    String onTimeout = "fail";

    @Option(names = "--no-wait", description = "Start the remote job, record it, and return RUNNING (exit 6) without waiting.")
    boolean noWait;

    @Option(names = "--notify", paramLabel = "URL", description = "When the run ends, POST its RunResult to this http(s) URL "
            + "(retried on the jobpilot.notify.* schedule, which the command waits for; see docs/notifications.md).")
    String notifyUrl;

    @Mixin
    NotifyWaitOption notifyWait;

    @Option(names = "--json", description = "Print the RunResult as one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        if (help) {
            spec.commandLine().usage(spec.commandLine().getOut());
            if (workflow != null) {
                spec.commandLine().getOut().print(WorkflowHelp.of(WorkflowCatalog.workflows(JobpilotConfig.of(Map.of())).require(workflow).definition()));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (workflow == null) {
            throw new UsageException("run: which workflow? Give one of " + String.join(", ", new WorkflowNames())
                    + " (`jobpilot run WORKFLOW --help` lists its parameters)");
        }
        Duration deadline = timeout == null ? null : parseTimeout(timeout);
        RunRequest request = new RunRequest(workflow, params, runId, out, deadline, OnTimeout.parse(onTimeout), noWait,
                notifyUrl == null ? null : NotifyUrl.require(notifyUrl));
        JobpilotConfig cfg = notifyWait.applyTo(config.loadForOneRun(), noWait);
        Workflows workflows = WorkflowCatalog.workflows(cfg);
        if (runId == null) {
            workflows.validate(request);
        }
        boolean listen = workflows.require(workflow).receivesCallbacks(params);
        return RunOutput.perform(cfg, spec, json, listen, workflow, runtime -> runtime.run(request));
    }

    static Duration parseTimeout(String text) {
        try {
            Duration d = Durations.parse(text);
            if (d.isZero() || d.isNegative()) {
                throw new UsageException("--timeout must be more than zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--timeout: " + e.getMessage());
        }
    }
}
