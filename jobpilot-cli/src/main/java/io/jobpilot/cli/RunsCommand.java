package io.jobpilot.cli;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs from the ledger, newest first.")
final class RunsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--state", paramLabel = "S", description = "Only runs in this state (RUNNING, SUCCEEDED, FAILED, ...).")
    String state;

    @Option(names = "--workflow", paramLabel = "W")
    String workflow;

    @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default 50).")
    int limit = 50;

    @Option(names = "--json", description = "One JSON array of RunResults.")
    boolean json;

    @Override
    public Integer call() {
        List<RunResult> runs;
        String none = "(no runs" + (state != null || workflow != null ? " match" : " yet") + ")";
        try {
            runs = LedgerAccess.read(config.load(), ledger -> ledger.list(state, workflow, limit).stream()
                    .map(LedgerRun::result).toList(), List.of());
        } catch (Ledger.NoLedger e) {
            runs = List.of();
            none = "(no runs yet: " + e.getMessage() + ")";
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(runs));
            return 0;
        }
        String fmt = "%-44s %-22s %-12s %-19s %9s  %s%n";
        out.printf(fmt, "RUN ID", "WORKFLOW", "STATE", "STARTED", "DURATION", "REMOTE");
        for (RunResult r : runs) {
            out.printf(fmt, r.runId(), r.workflow(), r.state(), TIME.format(r.startedAt()),
                    r.durationMs() == null ? "-" : String.format("%.1fs", r.durationMs() / 1000.0),
                    String.join(" ", r.remoteIds().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        if (runs.isEmpty()) {
            out.println(none);
        }
        out.flush();
        return 0;
    }
}
