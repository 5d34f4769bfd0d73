package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import picocli.CommandLine.Option;

import java.util.Map;

/** --no-notify-wait, for the commands that end with their run (run, resume). */
final class NotifyWaitOption {
    @Option(names = "--no-notify-wait", description = "Make only the immediate attempts of the run's notification (--notify) "
            + "and leave the rest of its schedule in the outbox, for `jobpilot resume` or `jobpilot serve` (default: wait for "
            + "the whole schedule before exiting; jobpilot.notify.wait).")
    boolean noWait;

    JobpilotConfig applyTo(JobpilotConfig cfg) {
        return noWait ? cfg.with(Map.of("jobpilot.notify.wait", "false")) : cfg;
    }
}
