package io.jobpilot.run;

import io.jobpilot.config.JobpilotConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Progress lines while a run goes: state changes, counts, and on the command line what a waiting run is doing. The
 * command line prints them on stderr (stdout is for --json); the long-lived runtime logs them, one line per change.
 * <p>
 * On stderr, a run waiting for its remote job says so: on a terminal as one status line rewritten in place (state,
 * elapsed, next check, paging counts); elsewhere as a plain "still RUNNING after 5m" line every heartbeat. The run id
 * leads a line only when the line's run differs from the previous line's, so a single run's lines are not each led
 * by a 40-character id.
 */
public final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger("jobpilot.progress");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String CLEAR_LINE = "\r\033[K";
    /** One daemon thread for the whole JVM redraws live lines and writes heartbeats, whatever the number of runs. */
    private static ScheduledExecutorService ticker;

    public enum Mode { STDERR, LOG, OFF }

    private final Mode mode;
    private final PrintWriter err;
    private final Duration heartbeat;
    private final boolean live;
    private final Clock clock;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final Map<String, Instant> countingSince = new ConcurrentHashMap<>();
    private String lastRunId;
    private String liveText;
    private ScheduledFuture<?> ticking;

    /** A run between two status checks: what it last showed, when the next check comes, when it last printed a line. */
    private record Waiting(Run run, String status, Instant nextCheck, Instant lastLine) {
    }

    /** Lines on state changes only: no heartbeat, no live line. */
    public Progress(Mode mode, PrintWriter err) {
        this(mode, err, Duration.ZERO, false, Clock.systemUTC());
    }

    /**
     * @param heartbeat how often a waiting run prints a line when stderr is no terminal (zero: never)
     * @param live      rewrite one status line in place (stderr is a terminal)
     */
    public Progress(Mode mode, PrintWriter err, Duration heartbeat, boolean live, Clock clock) {
        this.mode = mode;
        this.err = err;
        this.heartbeat = heartbeat;
        this.live = live && mode == Mode.STDERR;
        this.clock = clock;
    }

    /** @param err where STDERR mode writes (the command's error stream) */
    public static Progress parse(String mode, PrintWriter err) {
        return new Progress(mode(mode), err);
    }

    /** The mode from setting {@code modeKey}, with the heartbeat and live line of jobpilot.progress.heartbeat / .live. */
    public static Progress from(JobpilotConfig config, String modeKey, PrintWriter err) {
        String live = config.require("jobpilot.progress.live").trim().toLowerCase();
        boolean onTerminal = switch (live) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> stderrIsTerminal();
            default -> throw new JobpilotConfig.ConfigException("jobpilot.progress.live must be auto, on or off, not '" + live + "'");
        };
        return new Progress(mode(config.require(modeKey)), err, config.duration("jobpilot.progress.heartbeat"), onTerminal,
                Clock.systemDefaultZone());
    }

    private static Mode mode(String mode) {
        try {
            return Mode.valueOf(mode == null ? "STDERR" : mode.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new JobpilotConfig.ConfigException("jobpilot.progress must be stderr, log or off, not '" + mode + "'");
        }
    }

    /** Java 17 cannot ask whether stderr is a terminal; Linux tells through the descriptor's link. */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    public void say(Run run, String message) {
        switch (mode) {
            case STDERR -> print(run, Secrets.scrub(message));
            case LOG -> LOG.info("run={} workflow={} {}", run.runId(), run.workflow(), Secrets.scrub(message));
            default -> {
            }
        }
    }

    /** The run's last line: says it, and the run stops waiting and counting. */
    public void ended(Run run, String message) {
        notWaiting(run);
        countingSince.keySet().removeIf(key -> key.startsWith(run.runId() + "/"));
        say(run, message);
    }

    /** Between two status checks: the remote job last showed {@code status} (null before the first check). */
    public void waiting(Run run, String status, Instant nextCheck) {
        if (mode != Mode.STDERR || !live && heartbeat.isZero()) {
            return;
        }
        Waiting before = waiting.get(run.runId());
        waiting.put(run.runId(), new Waiting(run, status, nextCheck, before == null ? clock.instant() : before.lastLine()));
        synchronized (this) {
            if (ticking == null) {
                ticking = ticker().scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** The remote job reached a final state: nothing to wait for any more. */
    public void notWaiting(Run run) {
        if (waiting.remove(run.runId()) != null && live) {
            synchronized (err) {
                liveText = null;
                err.print(CLEAR_LINE);
                err.flush();
            }
        }
    }

    /**
     * Items collected so far, e.g. report pages: "task 3: 120,000/1,500,000 reports (8%), 40,000/s, ETA 35s". On a
     * terminal it replaces the live line; elsewhere it is a line (the caller keeps the pace).
     */
    public void counting(Run run, String what, long done, Long total, String unit, boolean finished) {
        String key = run.runId() + "/" + what;
        Instant now = clock.instant();
        Instant since = finished ? countingSince.remove(key) : countingSince.computeIfAbsent(key, k -> now);
        String text = what + ": " + ProgressLines.counting(done, total, unit, since == null ? Duration.ZERO
                : Duration.between(since, now)) + (finished ? " (done)" : "");
        if (live && !finished) {
            redraw(run, text);
        } else {
            say(run, text);
        }
    }

    /** Once a second: the live line shows the time going by; without a terminal, each heartbeat a line per run. */
    void tick() {
        Instant now = clock.instant();
        for (Waiting w : waiting.values()) {
            String text = ProgressLines.waiting(w.status(), Duration.between(w.run().startedAt(), now),
                    Duration.between(now, w.nextCheck()));
            if (live) {
                redraw(w.run(), text);
            } else if (Duration.between(w.lastLine(), now).compareTo(heartbeat) >= 0) {
                say(w.run(), "still " + text);
            }
        }
        synchronized (this) {
            if (waiting.isEmpty() && ticking != null) {
                ticking.cancel(false);
                ticking = null;
            }
        }
    }

    private void print(Run run, String message) {
        synchronized (err) {
            if (liveText != null) {
                err.print(CLEAR_LINE);
            }
            err.println(TIME.format(clock.instant().atZone(clock.getZone())) + " " + lead(run) + message);
            if (liveText != null) {
                err.print(liveText);
            }
            err.flush();
        }
        waiting.computeIfPresent(run.runId(), (id, w) -> new Waiting(w.run(), w.status(), w.nextCheck(), clock.instant()));
    }

    private void redraw(Run run, String text) {
        synchronized (err) {
            liveText = TIME.format(clock.instant().atZone(clock.getZone())) + " " + lead(run) + Secrets.scrub(text);
            err.print(CLEAR_LINE + liveText);
            err.flush();
        }
    }

    /** Called holding the lock on err. */
    private String lead(Run run) {
        if (run.runId().equals(lastRunId)) {
            return "";
        }
        lastRunId = run.runId();
        return run.runId() + " ";
    }

    private static synchronized ScheduledExecutorService ticker() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jobpilot-progress");
                t.setDaemon(true);
                return t;
            });
        }
        return ticker;
    }
}
