package io.jobpilot.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Progress lines while a run goes: state changes, counts. The command line prints them on stderr (stdout is for
 * --json); the long-lived runtime logs them. One line per change, never one per poll.
 */
public final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger("jobpilot.progress");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    public enum Mode { STDERR, LOG, OFF }

    private final Mode mode;
    private final PrintWriter err;

    public Progress(Mode mode, PrintWriter err) {
        this.mode = mode;
        this.err = err;
    }

    /** @param err where STDERR mode writes (the command's error stream) */
    public static Progress parse(String mode, PrintWriter err) {
        try {
            return new Progress(Mode.valueOf(mode == null ? "STDERR" : mode.trim().toUpperCase()), err);
        } catch (IllegalArgumentException e) {
            throw new io.jobpilot.config.JobpilotConfig.ConfigException("jobpilot.progress must be stderr, log or off, not '" + mode + "'");
        }
    }

    public void say(Run run, String message) {
        String line = run.runId() + " " + Secrets.scrub(message);
        switch (mode) {
            case STDERR -> {
                synchronized (err) {
                    err.println(LocalTime.now().format(TIME) + " " + line);
                    err.flush();
                }
            }
            case LOG -> LOG.info("run={} workflow={} {}", run.runId(), run.workflow(), Secrets.scrub(message));
            default -> {
            }
        }
    }
}
