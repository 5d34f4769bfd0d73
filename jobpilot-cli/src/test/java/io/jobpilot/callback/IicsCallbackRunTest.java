package io.jobpilot.callback;

import io.jobpilot.sandbox.iics.TaskScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** `jobpilot run iics-job -p callback=true`: the command listens on jobpilot.server.port for the run's duration. */
class IicsCallbackRunTest extends JobpilotTestSupport {
    private static final String JOB = "pod/saas/api/v2/job";
    private static final String LOG = "pod/saas/api/v2/activity/activityLog";

    @Test
    void aCommandLineRunReceivesItsCallback() throws Exception {
        int port = io.jobpilot.support.FreePorts.forServer();
        TaskScript task = TaskScript.create("0119CB1Z" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L)).phases(1, 3, 1);
        sandbox.iics().task(task);
        String runId = "cb-cli-" + System.nanoTime();

        long started = System.nanoTime();
        Cli cli = jobpilot("run", "iics-job", "-p", "task-id=" + task.taskId(), "-p", "task-type=MTT", "-p", "callback=true",
                "--run-id", runId, "--json", "--set", "jobpilot.server.port=" + port, "--set", "jobpilot.server.host=127.0.0.1",
                "--set", "jobpilot.callback.public-url=http://127.0.0.1:" + port, "--set", "jobpilot.callback.tick=50ms",
                "--set", "jobpilot.callback.backstop-interval=1m");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(took).as("ended on the callback, long before the backstop").isLessThan(Duration.ofSeconds(20));
        assertThat(cli.err()).contains("waiting for IICS's callback").contains("IICS called back; confirming through the activity log");
        assertThat(cli.err().indexOf("IICS called back")).isLessThan(cli.err().indexOf("remote status state 1"));
        assertThat(sandbox.journal().matching("GET", LOG)).hasSize(1);

        Matcher m = Pattern.compile("/callbacks/iics/([A-Za-z0-9_-]{43})").matcher(sandbox.journal().matching("POST", JOB).get(0).body());
        assertThat(m.find()).isTrue();
        String token = m.group(1);
        assertThat(cli.out() + cli.err()).doesNotContain(token);
        try (var files = Files.walk(runDir(runId))) {
            for (var f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(token);
            }
        }
    }
}
