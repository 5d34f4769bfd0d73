package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.sandbox.iics.ExportScript;
import io.jobpilot.sandbox.iics.TaskScript;
import io.jobpilot.sandbox.iics.TaskflowScript;
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

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run every workflow against the built-in simulators and print what happened.")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_SESSION = "Demo/Road Network Check";
    static final String DEMO_EXPORT = "demo-export";
    static final String DEMO_TASK = "0119Y40Z00000000001S";
    static final String DEMO_WARNING_TASK = "0119Y40Z00000000002W";
    static final String DEMO_TASKFLOW = "Nightly_Customer_Load";
    static final String DEMO_SCENARIO = "Match Customers";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    /** The demo's remote jobs, also served by `jobpilot simulate`. */
    static void scriptDemo(Sandbox sandbox) {
        sandbox.oneIntegrate().script(DEMO_SESSION, SessionScript.create().runningPolls(3)
                .task("road-geometry", 6570).task("road-attributes", 1200).task("junctions", 0));
        sandbox.iics().scriptExport(DEMO_EXPORT, ExportScript.create().runningPolls(3).packagePadding(256 * 1024));
        sandbox.iics().task(TaskScript.create(DEMO_TASK).name("MT_Load_Customers").firstRunId(18).phases(1, 3, 1));
        sandbox.iics().task(TaskScript.create(DEMO_WARNING_TASK).name("MT_Warning").firstRunId(18).phases(0, 2, 1)
                .endsWith(2, "4 rows were rejected by the target"));
        sandbox.iics().taskflow(TaskflowScript.create(DEMO_TASKFLOW).phases(0, 3)
                .subtask("Load customers", "MCT", 1000, 0).subtask("Load orders", "MCT", 4200, 0));
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
                    new DemoRun("IICS export of 3 objects", RunRequest.of("iics-export", Map.of("objects",
                            "l7bgB85m5oGiXObDxwnvK9,iIVBNZSpUKFg4N6g2PKUox,5FA0DnMzeuDbYZnn3hdto9", "name", DEMO_EXPORT)), Outcome.SUCCEEDED),
                    new DemoRun("IICS mapping task", RunRequest.of("iics-job", Map.of("task-id", DEMO_TASK, "task-type", "MTT")),
                            Outcome.SUCCEEDED),
                    new DemoRun("IICS task with rejected rows (same runId, other task)", RunRequest.of("iics-job",
                            Map.of("task-name", "MT_Warning", "task-type", "MTT")), Outcome.WARNING),
                    new DemoRun("IICS taskflow with 2 subtasks", RunRequest.of("iics-taskflow", Map.of("taskflow", DEMO_TASKFLOW,
                            "parameters", "{\"region\":\"EMEA\"}")), Outcome.SUCCEEDED),
                    new DemoRun("Exago batch: new session, role, parameter, settings",
                            new RunRequest("exago-batch", Map.of("batch", ConfigOptions.home().resolve("examples/exago/demo-batch.json")
                                    .toString()), null, null, null, null, false, null), Outcome.SUCCEEDED),
                    new DemoRun("InfoLink scenario, 2 result sets",
                            new RunRequest("infolink-job", Map.of("app-id", InfoLinkSimulator.APP_ID, "operation", ConfigOptions.home()
                                    .resolve("examples/infolink/match-customers.json").toString()), null, null, null, null, false, null),
                            Outcome.SUCCEEDED));
            List<RunResult> results = new ArrayList<>();
            List<String> via = new ArrayList<>();
            try (JobpilotRuntime runtime = JobpilotRuntime.start(cfg, Progress.from(cfg, "jobpilot.progress", spec.commandLine().getErr()))) {
                for (DemoRun run : runs) {
                    results.add(runtime.run(run.request()));
                    via.add("command");
                }
            }
            List<RunResult> served = ServeDemo.run(sandbox, cfg, out, spec.commandLine().getErr());
            boolean servedBoth = served.size() == 2;
            for (RunResult r : served) {
                results.add(r);
                via.add(r.runId().startsWith("demo-nightly-") ? "schedule" : "HTTP API");
            }
            out.println();
            String fmt = "%-22s %-9s %-10s %-38s %9s  %s%n";
            out.printf(fmt, "WORKFLOW", "VIA", "OUTCOME", "REMOTE ID", "DURATION", "ITEMS");
            boolean allAsExpected = servedBoth;
            for (int i = 0; i < results.size(); i++) {
                RunResult r = results.get(i);
                Outcome expected = i < runs.size() ? runs.get(i).expected() : Outcome.SUCCEEDED;
                allAsExpected &= r.outcome() == expected;
                out.printf(fmt, r.workflow(), via.get(i), r.outcome(), String.join(" ", r.remoteIds().values()),
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
        for (String[] unit : new String[][] {{"tasks", "tasks"}, {"reports", "reports"}, {"objects", "objects"},
                {"packageBytes", "package bytes"}, {"successTargetRows", "rows loaded"}, {"failedTargetRows", "rows rejected"},
                {"subtasks", "subtasks"}, {"rowsProcessed", "rows processed"}, {"items", "batch items"}, {"resultSets", "result sets"}, {"records", "records"}}) {
            Object n = r.counts().get(unit[0]);
            if (n instanceof java.util.Collection<?> each) {       // a taskflow's subtasks: listed, counted here
                n = each.size();
            }
            if (n != null) {
                parts.add(n + " " + unit[1]);
            }
        }
        return String.join(", ", parts);
    }
}
