package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import picocli.CommandLine.Option;

import java.util.Map;

/** --no-notify-wait, for the commands that follow a run to its end (run, resume). */
final class NotifyWaitOption {
    @Option(names = "--no-notify-wait", description = "Make only the immediate attempts of the run's notification (--notify) "
            + "and leave the rest of its schedule in the outbox, for `jobpilot resume` or `jobpilot serve` (default: wait for "
            + "the whole schedule before exiting; jobpilot.notify.wait).")
    boolean noWait;

    /** @param runNotWaited --no-wait: a command told not to wait for the run does not wait for its notification either */
    JobpilotConfig applyTo(JobpilotConfig cfg, boolean runNotWaited) {
        return noWait || runNotWaited ? cfg.with(Map.of("jobpilot.notify.wait", "false")) : cfg;
    }
}
