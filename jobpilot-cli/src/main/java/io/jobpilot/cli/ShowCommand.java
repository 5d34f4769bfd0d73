package io.jobpilot.cli;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one run: its result, its state transitions and the steps it has done.")
final class ShowCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Mixin
    RunIdArguments target;

    @Override
    public Integer call() {
        LedgerRun run;
        try {
            run = LedgerAccess.read(config.load(), ledger -> ledger.find(target.runId), Optional.<LedgerRun>empty())
                    .orElseThrow(() -> new UsageException("no run '" + target.runId + "' in the ledger (jobpilot runs lists them)"));
        } catch (Ledger.NoLedger e) {
            throw new UsageException("no run '" + target.runId + "': " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (target.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("run", run.result());
            doc.put("events", run.events());
            doc.put("steps", run.steps());
            out.println(Json.write(doc));
            return 0;
        }
        RunOutput.print(run.result(), false, out);
        out.println("  state:     " + run.result().state());
        out.println("  steps done: " + (run.steps().isEmpty() ? "none" : String.join(", ", run.steps())));
        out.println("  history:");
        run.events().forEach(e -> out.printf("    %s  %-10s %s%n", e.at(), e.state(), e.detail() == null ? "" : e.detail()));
        out.flush();
        return 0;
    }
}
