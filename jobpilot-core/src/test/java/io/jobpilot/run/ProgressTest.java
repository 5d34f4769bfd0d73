package io.jobpilot.run;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final StringWriter out = new StringWriter();
    private final Ticking clock = new Ticking();
    private final Run run = new Run(RunRequest.of("iics-job", Map.of()), "iics-job-20261201-100000-abc", Path.of("runs/x"), T0,
            Duration.ofHours(1), false);

    private Progress progress(boolean live) {
        return new Progress(Progress.Mode.STDERR, new PrintWriter(out, true), Duration.ofSeconds(30), live, clock);
    }

    @Test
    void a_waiting_run_prints_a_heartbeat_each_heartbeat_when_stderr_is_no_terminal() {
        Progress progress = progress(false);
        progress.say(run, "remote status RUNNING");
        progress.waiting(run, "RUNNING", T0.plusSeconds(60));
        clock.now = T0.plusSeconds(29);
        progress.tick();
        assertThat(out.toString().lines()).hasSize(1);
        clock.now = T0.plusSeconds(30);
        progress.tick();
        clock.now = T0.plusSeconds(31);
        progress.tick();
        assertThat(out.toString().lines()).containsExactly(
                "10:00:00 iics-job-20261201-100000-abc remote status RUNNING",
                "10:00:30 still RUNNING after 30s, next check in 30s");
        clock.now = T0.plusSeconds(330);
        progress.tick();
        assertThat(out.toString().lines()).last().isEqualTo("10:05:30 still RUNNING after 5m30s, checking now");
    }

    @Test
    void a_finished_run_stops_its_heartbeat() {
        Progress progress = progress(false);
        progress.waiting(run, "RUNNING", T0.plusSeconds(60));
        progress.ended(run, "ended SUCCEEDED");
        clock.now = T0.plusSeconds(120);
        progress.tick();
        assertThat(out.toString().lines()).containsExactly("10:00:00 iics-job-20261201-100000-abc ended SUCCEEDED");
    }

    @Test
    void the_run_id_leads_a_line_only_when_the_run_changes() {
        Progress progress = progress(false);
        Run other = new Run(RunRequest.of("exago-batch", Map.of()), "exago-batch-2", Path.of("runs/y"), T0, Duration.ofHours(1), false);
        progress.say(run, "one");
        progress.say(run, "two");
        progress.say(other, "three");
        progress.say(run, "four");
        assertThat(out.toString().lines()).containsExactly("10:00:00 iics-job-20261201-100000-abc one", "10:00:00 two",
                "10:00:00 exago-batch-2 three", "10:00:00 iics-job-20261201-100000-abc four");
    }

    @Test
    void on_a_terminal_one_line_is_rewritten_in_place_and_events_print_above_it() {
        Progress progress = progress(true);
        progress.say(run, "remote status RUNNING");
        progress.waiting(run, "RUNNING", T0.plusSeconds(5));
        clock.now = T0.plusSeconds(2);
        progress.tick();
        clock.now = T0.plusSeconds(3);
        progress.tick();
        progress.say(run, "status check failed (HTTP 503); retrying in 5s");
        progress.notWaiting(run);
        String clear = "\r\033[K";
        assertThat(out.toString()).isEqualTo("10:00:00 iics-job-20261201-100000-abc remote status RUNNING" + System.lineSeparator()
                + clear + "10:00:02 RUNNING after 2s, next check in 3s"
                + clear + "10:00:03 RUNNING after 3s, next check in 2s"
                + clear + "10:00:03 status check failed (HTTP 503); retrying in 5s" + System.lineSeparator()
                + "10:00:03 RUNNING after 3s, next check in 2s"
                + clear);
    }

    @Test
    void counting_shows_percent_rate_and_eta() {
        Progress progress = progress(false);
        progress.counting(run, "task geometry", 0, 1_500_000L, "reports fetched", false);
        clock.now = T0.plusSeconds(4);
        progress.counting(run, "task geometry", 200_000, 1_500_000L, "reports fetched", false);
        clock.now = T0.plusSeconds(30);
        progress.counting(run, "task geometry", 1_500_000, 1_500_000L, "reports fetched", true);
        assertThat(out.toString().lines()).containsExactly(
                "10:00:00 iics-job-20261201-100000-abc task geometry: 0/1,500,000 reports fetched (0%)",
                "10:00:04 task geometry: 200,000/1,500,000 reports fetched (13%), 50,000/s, ETA 26s",
                "10:00:30 task geometry: 1,500,000/1,500,000 reports fetched (100%), 50,000/s (done)");
    }

    @Test
    void counting_without_a_total_shows_count_and_rate() {
        assertThat(ProgressLines.counting(9_000, null, "records", Duration.ofSeconds(3))).isEqualTo("9,000 records, 3,000/s");
        assertThat(ProgressLines.counting(9_000, null, "records", Duration.ofMillis(300))).isEqualTo("9,000 records");
    }

    @Test
    void log_mode_keeps_no_waiting_runs() {
        Progress progress = new Progress(Progress.Mode.LOG, new PrintWriter(out, true), Duration.ofSeconds(30), false, clock);
        progress.waiting(run, "RUNNING", T0.plusSeconds(60));
        clock.now = T0.plusSeconds(600);
        progress.tick();
        assertThat(out.toString()).isEmpty();
    }

    /** A clock the test moves; the zone is UTC so the printed times are the test's. */
    private static final class Ticking extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
