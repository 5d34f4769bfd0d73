package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import io.jobpilot.app.JobpilotRuntime;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** --config and --set, accepted by every command. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "More properties, on top of config/application.properties (repeatable).")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = "--set", paramLabel = "PROPERTY=VALUE", description = "One property, overriding everything else (repeatable).")
    Map<String, String> sets = new LinkedHashMap<>();

    /** Where routes/ and config/ are: -Djobpilot.home (bin/jobpilot sets it), else the working directory. */
    public static Path home() {
        String h = System.getProperty("jobpilot.home");
        return Path.of(h == null || h.isBlank() ? "." : h).toAbsolutePath().normalize();
    }

    public JobpilotConfig load() {
        return JobpilotConfig.load(home().resolve("config/application.properties"), configFiles, sets);
    }

    /**
     * jobpilot on Camel with this configuration, progress lines going to {@code err} (unless configured otherwise); with
     * {@code listen}, the HTTP server takes callbacks on jobpilot.server.port for the command's duration; with a
     * {@code workflow}, only its routes are loaded of the workflows' (null: every workflow's).
     */
    static JobpilotRuntime startRuntime(JobpilotConfig cfg, boolean listen, String workflow, PrintWriter err) {
        return JobpilotRuntime.start(cfg, Progress.from(cfg, "jobpilot.progress", err), listen, workflow);
    }

    /**
     * For commands that end with their run (run, resume, stop): the process does not stay up in the background, so it
     * delivers a notification in the foreground before it exits (or, with jobpilot.notify.wait=false, makes its
     * immediate attempts and leaves the rest of the schedule in the outbox).
     */
    public JobpilotConfig loadForOneRun() {
        return load().with(Map.of("jobpilot.notify.continue", "false"));
    }
}
