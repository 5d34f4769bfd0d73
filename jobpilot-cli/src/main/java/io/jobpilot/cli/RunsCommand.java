package io.jobpilot.cli;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.RunResult;
import io.jobpilot.run.RunState;
import io.jobpilot.run.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
        requireKnown("--state", state, Stream.concat(Arrays.stream(RunState.values()), Arrays.stream(Outcome.values())).map(Enum::name).toList());
        if (workflow != null) {                     // the catalog is read only for a filter to check: it costs start-up time
            requireKnown("--workflow", workflow, StreamSupport.stream(new WorkflowNames().spliterator(), false).toList());
        }
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

    /** A filter that can match nothing is a mistake: say so, with the closest known value, instead of "(no runs match)". */
    private static void requireKnown(String option, String value, List<String> known) {
        if (value == null || known.contains(value)) {
            return;
        }
        String closest = known.stream().filter(k -> CommandSuggestions.edits(value.toUpperCase(java.util.Locale.ROOT), k.toUpperCase(java.util.Locale.ROOT)) <= 2)
                .findFirst().map(k -> "; did you mean " + k + "?").orElse("");
        throw new UsageException("runs: " + option + " " + value + " matches no run (one of " + String.join(", ", known) + closest + ")");
    }
}
