package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.runtime.JobpilotRuntime;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.sandbox.infolink.InfoLinkSimulator;
import io.jobpilot.sandbox.infolink.JobScript;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", description = "Run every workflow against the built-in simulators and print what happened.")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_SESSION = "Demo/Road Network Check";
    static final String DEMO_SCENARIO = "Match Customers";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    /** The demo's remote jobs, also served by `jobpilot simulate`. */
    static void scriptDemo(Sandbox sandbox) {
        sandbox.oneIntegrate().script(DEMO_SESSION, SessionScript.create().runningPolls(3)
                .task("road-geometry", 6570).task("road-attributes", 1200).task("junctions", 0));
        sandbox.infoLink().script(DEMO_SCENARIO, JobScript.create().runningPolls(3).result("matches", 5000).result("unmatched", 120));
    }

    record DemoRun(String label, RunRequest request, Outcome expected) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Sandbox sandbox = Sandbox.start(0)) {
            scriptDemo(sandbox);
            Map<String, String> demo = new LinkedHashMap<>(sandbox.connectionProperties());
            demo.put("jobpilot.poll.initial-interval", "200ms");
            demo.put("jobpilot.poll.max-interval", "1s");
            JobpilotConfig cfg = config.load().with(demo);
            out.println("jobpilot demo: simulators on " + sandbox.baseUrl());
            out.flush();
            List<DemoRun> runs = List.of(new DemoRun("1Integrate session, 3 tasks, 7770 reports",
                    new RunRequest("oneintegrate-session", Map.of("path", DEMO_SESSION, "session",
                            ConfigOptions.home().resolve("examples/oneintegrate/road-network-check.json").toString()),
                            null, null, null, null, false, null), Outcome.SUCCEEDED),
                    new DemoRun("Exago batch: new session, role, parameter, settings",
                            new RunRequest("exago-batch", Map.of("batch", ConfigOptions.home().resolve("examples/exago/demo-batch.json")
                                    .toString()), null, null, null, null, false, null), Outcome.SUCCEEDED),
                    new DemoRun("InfoLink scenario, 2 result sets",
                            new RunRequest("infolink-job", Map.of("app-id", InfoLinkSimulator.APP_ID, "operation", ConfigOptions.home()
                                    .resolve("examples/infolink/match-customers.json").toString()), null, null, null, null, false, null),
                            Outcome.SUCCEEDED));
            List<RunResult> results = new ArrayList<>();
            try (JobpilotRuntime runtime = JobpilotRuntime.start(ConfigOptions.home(), cfg, Progress.parse(cfg.get("jobpilot.progress", "stderr"), spec.commandLine().getErr()))) {
                for (DemoRun run : runs) {
                    results.add(runtime.run(run.request()));
                }
            }
            out.println();
            String fmt = "%-22s %-10s %-38s %9s  %s%n";
            out.printf(fmt, "WORKFLOW", "OUTCOME", "REMOTE ID", "DURATION", "ITEMS");
            boolean allAsExpected = true;
            for (int i = 0; i < runs.size(); i++) {
                RunResult r = results.get(i);
                allAsExpected &= r.outcome() == runs.get(i).expected();
                out.printf(fmt, r.workflow(), r.outcome(), String.join(" ", r.remoteIds().values()),
                        String.format("%.1fs", r.durationMs() / 1000.0), items(r));
            }
            out.println();
            results.forEach(r -> out.println("artifacts of " + r.runId() + ": " + r.outDir() + "/" + r.runId() + "/"));
            out.println("jobpilot runs / jobpilot show RUN_ID read them back from the ledger.");
            out.flush();
            return allAsExpected ? 0 : Outcome.FAILED.exitCode();
        }
    }

    /** What the run produced, in each workflow's own units. */
    private static String items(RunResult r) {
        List<String> parts = new ArrayList<>();
        for (String[] unit : new String[][] {{"tasks", "tasks"}, {"reports", "reports"}, {"items", "batch items"},
                {"resultSets", "result sets"}, {"records", "records"}}) {
            Object n = r.counts().get(unit[0]);
            if (n != null) {
                parts.add(n + " " + unit[1]);
            }
        }
        return String.join(", ", parts);
    }
}
