package io.jobpilot.run;

import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What `jobpilot run` prints on stderr while a remote job runs, when stderr is no terminal. */
class ProgressLinesTest extends JobpilotTestSupport {

    @Test
    void a_long_wait_prints_heartbeats_and_the_json_stays_alone_on_stdout() throws Exception {
        // two status checks 3 s apart, a heartbeat every second: the wait between them cannot pass in silence
        Ran ran = sessionRun("Tests/Heartbeat " + System.nanoTime(), SessionScript.create().runningPolls(1).task("geometry", 10))
                .with("--set", "jobpilot.poll.initial-interval=3s", "--set", "jobpilot.poll.max-interval=3s",
                        "--set", "jobpilot.progress.heartbeat=1s", "--set", "jobpilot.progress.live=off")
                .run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(ran.json().path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(ran.err()).containsPattern("\\d\\d:\\d\\d:\\d\\d still Running after \\d+s, (next check in \\d+s|checking now)");
        assertThat(ran.err().lines().filter(l -> l.contains(ran.runId()))).as("the run id leads its first line only").hasSize(1);
        assertThat(ran.err()).doesNotContain("\r");
    }

    @Test
    void without_a_heartbeat_a_wait_prints_nothing_more() throws Exception {
        Ran ran = sessionRun("Tests/Quiet " + System.nanoTime(), SessionScript.create().runningPolls(1).task("geometry", 10))
                .with("--set", "jobpilot.poll.initial-interval=2s", "--set", "jobpilot.progress.heartbeat=0s",
                        "--set", "jobpilot.progress.live=off")
                .run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(ran.err()).doesNotContain("still ");
    }

    @Test
    void a_wrong_live_setting_is_one_line_naming_it() throws Exception {
        Ran ran = sessionRun("Tests/Live " + System.nanoTime(), SessionScript.create().task("geometry", 1))
                .with("--set", "jobpilot.progress.live=sometimes").run();

        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.err().strip().lines()).hasSize(1);
        assertThat(ran.err()).contains("jobpilot.progress.live must be auto, on or off, not 'sometimes'");
    }
}
