package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Json;
import io.jobpilot.run.Notification;
import io.jobpilot.run.RunResult;
import io.jobpilot.app.JobpilotRuntime;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How a RunResult is shown: one JSON object with --json, else a few readable lines. */
final class RunOutput {
    private RunOutput() {
    }

    /**
     * Starts jobpilot with the command's configuration (and, with {@code listen}, its HTTP server for callbacks; with a
     * {@code workflow}, the routes of that workflow only), performs the action (run, resume, stop), prints the RunResult
     * and answers the exit code of its outcome.
     */
    static int perform(JobpilotConfig cfg, CommandSpec spec, boolean json, boolean listen, String workflow,
                       Function<JobpilotRuntime, RunResult> action) {
        PrintWriter err = spec.commandLine().getErr();
        try (JobpilotRuntime runtime = ConfigOptions.startRuntime(cfg, listen, workflow, err);
             NotifyInterrupts interrupts = NotifyInterrupts.install(runtime, err)) {
            RunResult result = action.apply(runtime);
            print(result, json, spec.commandLine().getOut());
            noticeUndelivered(result, interrupts.interrupted() ? Left.INTERRUPTED
                    : cfg.bool("jobpilot.notify.wait") ? Left.HELD_ELSEWHERE : Left.NOT_WAITED_FOR, err);
            return result.exitCode();
        }
    }

    /** Why a command line ends with its run's notification still PENDING. */
    enum Left {
        /** Ctrl-C or SIGTERM while it waited. */
        INTERRUPTED,
        /** --no-notify-wait, --no-wait (jobpilot.notify.wait=false): the immediate attempts only. */
        NOT_WAITED_FOR,
        /** Another process on the same ledger holds the delivery (a serve continues its schedule). */
        HELD_ELSEWHERE
    }

    static void print(RunResult r, boolean json, PrintWriter out) {
        if (json) {
            out.println(Json.write(r));
            return;
        }
        out.println("run " + r.runId() + " (" + r.workflow() + "): " + r.outcome()
                + (r.durationMs() == null ? "" : " in " + String.format("%.1fs", r.durationMs() / 1000.0)));
        if (!r.remoteIds().isEmpty()) {
            out.println("  remote:    " + join(r.remoteIds()));
        }
        Map<String, Object> flat = r.counts().entrySet().stream().filter(e -> !(e.getValue() instanceof Map))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
        if (!flat.isEmpty()) {
            out.println("  counts:    " + join(flat));
        }
        if (r.error() != null) {
            out.println("  error:     [" + r.error().kind() + (r.error().step() == null ? "" : " at '" + r.error().step() + "'")
                    + (r.error().vendorCode() == null ? "" : ", vendor code " + r.error().vendorCode()) + "] " + r.error().message());
        }
        r.warnings().forEach(w -> out.println("  warning:   " + w));
        if (r.notification() != null) {
            out.println("  notified:  " + describe(r.notification()));
        }
        if (r.outDir() != null) {
            out.println("  artifacts: " + java.nio.file.Path.of(r.outDir()).resolve(r.runId()) + "/ (" + String.join(", ", r.artifacts()) + ")");
        }
        out.flush();
    }

    /** One line: where the run's completion notification stands. */
    static String describe(Notification n) {
        String s = n.url() + ": " + n.state() + " after " + n.attempts() + (n.attempts() == 1 ? " attempt" : " attempts");
        if (n.isPending() && n.nextAttemptAt() != null) {
            s += ", next attempt due " + n.nextAttemptAt();
        }
        return n.lastError() == null ? s : s + " (last error: " + n.lastError() + ")";
    }

    /** On stderr when the command line leaves a notification undelivered: it is not lost, why, and who continues it. */
    static void noticeUndelivered(RunResult r, Left why, PrintWriter err) {
        Notification n = r.notification();
        if (n == null || !n.isPending()) {
            return;
        }
        String continued = "`jobpilot resume " + r.runId() + "` continues it now (and waits), or `jobpilot serve` on the same"
                + " ledger when it is due";
        err.println("jobpilot: notification " + describe(n) + "; it stays in the outbox: " + switch (why) {
            case INTERRUPTED -> "interrupted; " + continued;
            case NOT_WAITED_FOR -> "not waiting for the rest of its schedule (--no-notify-wait, --no-wait); " + continued;
            case HELD_ELSEWHERE -> "another jobpilot process on the same ledger holds it (a `jobpilot serve` continues its "
                    + "schedule; `jobpilot resume " + r.runId() + "` takes it up once that process lets it go)";
        });
        err.flush();
    }

    private static String join(Map<String, ?> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
