package io.jobpilot.run;

import io.jobpilot.config.Durations;

import java.time.Duration;
import java.util.Locale;

/** The words of progress lines: how long, how many, how fast, how much longer. */
final class ProgressLines {
    private ProgressLines() {
    }

    /** "RUNNING after 5m10s, next check in 30s"; before the first status check the job is "started". */
    static String waiting(String status, Duration elapsed, Duration untilCheck) {
        return (status == null ? "started" : status) + " after " + seconds(elapsed) + ", "
                + (untilCheck.isNegative() || untilCheck.isZero() ? "checking now" : "next check in " + seconds(untilCheck));
    }

    /**
     * "120,000/1,500,000 reports (8%), 40,000/s, ETA 35s". Without a known total only the count and rate; without a
     * second gone by, no rate.
     */
    static String counting(long done, Long total, String unit, Duration elapsed) {
        StringBuilder line = new StringBuilder(number(done));
        if (total != null && total > 0) {
            line.append('/').append(number(total));
        }
        line.append(' ').append(unit);
        if (total != null && total > 0) {
            line.append(" (").append(Math.min(100, done * 100 / total)).append("%)");
        }
        double secs = elapsed.toMillis() / 1000.0;
        if (secs >= 1 && done > 0) {
            double rate = done / secs;
            line.append(", ").append(number(Math.round(rate))).append("/s");
            if (total != null && total > done) {
                line.append(", ETA ").append(seconds(Duration.ofSeconds((long) Math.ceil((total - done) / rate))));
            }
        }
        return line.toString();
    }

    /** Whole seconds, "0s" for less than one. */
    static String seconds(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s == 0 ? "0s" : Durations.format(Duration.ofSeconds(s));
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
