package io.jobpilot.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Json;
import io.jobpilot.run.Progress;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.sandbox.iics.TaskScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `jobpilot run --notify URL` follows the whole documented schedule before it exits (here in milliseconds: 3 immediate
 * attempts, 50ms doubling to 200ms, giving up 5s after the first), says on stderr what it waits for, and exits
 * with the run's code whatever becomes of the notification. --no-notify-wait, or SIGTERM/Ctrl-C while it waits, leaves
 * the delivery PENDING in the outbox, where `jobpilot resume` or `jobpilot serve` continues it.
 */
class NotifyCommandLineTest extends NotifyTestSupport {
    /** Receivers put tokens in the query (and the path): none of it may be shown. */
    private static final String SECRET = "s3cr3t-t0ken";

    /**
     * The support's schedule, but attempts may take 5s and the give-up time is 5s after the first: a machine slow to
     * answer the first request of a JVM must not change how many attempts are made.
     */
    private static final NotifySchedule SCHEDULE = new NotifySchedule(3, Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofSeconds(5));

    @Override
    protected Map<String, String> testProperties() {
        Map<String, String> p = new LinkedHashMap<>(super.testProperties());
        p.put("jobpilot.notify.attempt-timeout", "5s");
        p.put("jobpilot.notify.give-up-after", "5s");
        return p;
    }

    private String secretHookUrl() {
        return hookUrl() + "?token=" + SECRET + "&sig=" + SECRET;
    }

    private Ran run(String runId, String... more) {
        return workflow("oneintegrate-session").param("path", "Notify/Session").runId(runId).with("--notify", secretHookUrl())
                .with(more).run();
    }

    private JsonNode notification(String runId) {
        return jobpilot("show", runId, "--json").json().path("run").path("notification");
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(SECRET).doesNotContain(HOOK);
    }

    @Test
    void aReceiverThatAnswers200GetsTheResultOnceBeforeTheCommandExits() {
        receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(200)));

        Ran cli = run("cli-delivered");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().get(0).getHeader("Idempotency-Key")).isEqualTo("cli-delivered");
        JsonNode notification = cli.json().path("notification");
        assertThat(notification.path("state").asText()).isEqualTo("DELIVERED");
        assertThat(notification.path("attempts").asInt()).isEqualTo(1);
        assertThat(cli.err()).contains("delivered (attempt 1)").doesNotContain("not delivered yet").doesNotContain("stays in the outbox");
    }

    @Test
    void aReceiverThatFailsFiveTimesGetsTheSixthScheduledAttemptBeforeTheCommandExits() {
        failThenAccept(5, 0);

        Ran cli = run("cli-recovers");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(attempts()).as("3 immediate attempts, then after 50ms, 100ms and 200ms: the sixth is the one").hasSize(6)
                .allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo("cli-recovers"));
        JsonNode notification = cli.json().path("notification");
        assertThat(notification.path("state").asText()).isEqualTo("DELIVERED");
        assertThat(notification.path("attempts").asInt()).isEqualTo(6);
        assertThat(notification("cli-recovers").path("state").asText()).isEqualTo("DELIVERED");
        int most = SCHEDULE.maxAttempts();
        assertThat(cli.err())
                .contains("notification to " + receiver.baseUrl() + "/... not delivered yet (HTTP 500, attempt 1 of at most " + most
                        + "); next attempt now, giving up at ")
                .contains("(HTTP 500, attempt 3 of at most " + most + "); next attempt in 50ms, giving up at ")
                .contains("(HTTP 500, attempt 4 of at most " + most + "); next attempt in 100ms")
                .contains("(HTTP 500, attempt 5 of at most " + most + "); next attempt in 200ms")
                .contains("Ctrl-C leaves it PENDING for `jobpilot resume cli-recovers` or `jobpilot serve`")
                .contains("notification to " + receiver.baseUrl() + "/... delivered (attempt 6)")
                .doesNotContain("stays in the outbox");
        assertNoSecret(cli.out() + cli.err());
    }

    @Test
    void aReceiverThatNeverAnswers200IsDeadLetteredAtTheGiveUpTimeAndTheExitCodeIsStillTheRuns() {
        receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(503)));

        Cli cli = jobpilot("run", "oneintegrate-session", "-p", "path=Notify/Nowhere", "--run-id", "cli-dead", "--notify",
                secretHookUrl(), "--json");

        assertThat(cli.exitCode()).as("START_FAILED, the run's own outcome: " + cli).isEqualTo(7);
        JsonNode notification = cli.json().path("notification");
        assertThat(notification.path("state").asText()).isEqualTo("DEAD");
        int made = notification.path("attempts").asInt();
        assertThat(attempts()).as("every attempt the ledger counts reached the receiver").hasSize(made);
        assertThat(made).as("past the immediate attempts, within the schedule's").isBetween(4, SCHEDULE.maxAttempts());
        assertThat(notification.has("nextAttemptAt")).isFalse();
        assertThat(notification.path("lastError").asText()).isEqualTo("HTTP 503");
        assertThat(cli.err()).contains("dead-lettered after " + made + " attempts over").contains("(last error: HTTP 503)")
                .doesNotContain("stays in the outbox");
        assertNoSecret(cli.out() + cli.err());
    }

    @Test
    void withNoNotifyWaitItExitsAfterTheImmediateAttemptsAndServeContinuesThePendingDelivery() throws Exception {
        receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(502)));

        Ran cli = run("cli-pending", "--no-notify-wait");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(attempts()).as("the immediate attempts only").hasSize(3);
        JsonNode notification = cli.json().path("notification");
        assertThat(notification.path("state").asText()).isEqualTo("PENDING");
        assertThat(notification.path("attempts").asInt()).isEqualTo(3);
        assertThat(notification.path("lastError").asText()).contains("HTTP 502");
        assertThat(notification.path("nextAttemptAt").asText()).isNotEmpty();
        assertThat(cli.err()).contains("PENDING after 3 attempts").contains("not waiting for the rest of its schedule (--no-notify-wait, --no-wait)")
                .contains("`jobpilot resume cli-pending` continues it now").contains("`jobpilot serve`")
                .doesNotContain("not delivered yet");
        assertNoSecret(cli.out() + cli.err());
        assertThat(jobpilot("show", "cli-pending").out()).contains("notified:").contains("PENDING after 3 attempts").contains("HTTP 502");

        receiver.resetAll();
        receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(200)));
        try (JobpilotRuntime serve = serve()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(notification(serve, "cli-pending").state()));
        }

        assertThat(attempts()).as("one more, delivered").hasSize(1);
        assertThat(notification("cli-pending").path("attempts").asInt()).isEqualTo(4);
    }

    @Test
    void noWaitAlsoDoesNotWaitForTheNotificationAndStopDeliversTheStoppedRunsOne() {
        receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(503)));
        TaskScript task = TaskScript.create("0119NT0Z" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L)).runsForever();
        sandbox.iics().task(task);

        Cli started = jobpilot("run", "iics-job", "-p", "task-id=" + task.taskId(), "-p", "task-type=MTT", "--run-id", "cli-stop",
                "--no-wait", "--notify", secretHookUrl(), "--json");

        assertThat(started.exitCode()).as(started.toString()).isEqualTo(6);
        assertThat(attempts()).as("--no-wait: the immediate attempts only").hasSize(3);
        assertThat(started.err()).contains("not waiting for the rest of its schedule (--no-notify-wait, --no-wait)");

        receiver.resetAll();
        receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(200)));
        Cli stopped = jobpilot("stop", "cli-stop", "--json");

        assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(5);
        assertThat(attempts()).as("the stopped run's own notification, before the command exits").hasSize(1);
        assertThat(attempts().get(0).getHeader("Idempotency-Key")).isEqualTo("cli-stop/2");
        assertThat(stopped.json().path("notification").path("state").asText()).isEqualTo("DELIVERED");
        assertNoSecret(started.out() + started.err() + stopped.out() + stopped.err());
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})   // Ctrl-C, and what a service manager sends
    void aSignalWhileItWaitsLeavesTheDeliveryPendingExitsWithTheRunsCodeAndResumeDeliversIt(String signal) throws Exception {
        receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(503)));
        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.jobpilot.cli.JobpilotCommand"));
        cmd.addAll(List.of(withTestProperties("run", "oneintegrate-session", "-p", "path=Notify/Session", "--run-id", "cli-sig" + signal,
                "--notify", secretHookUrl(), "--json", "--set", "jobpilot.notify.initial-backoff=10m",
                "--set", "jobpilot.notify.max-backoff=10m", "--set", "jobpilot.notify.give-up-after=1h")));
        Process child = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(err).contains("next attempt in 10m"));

            assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(child.pid())).start().waitFor()).isZero();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(err)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        String stderr = Files.readString(err);
        assertThat(child.exitValue()).as("the run's SUCCEEDED, not a signal's 130 or 143: " + stderr).isZero();
        assertThat(attempts()).as("no attempt after the signal").hasSize(3);
        JsonNode printed = Json.MAPPER.readTree(Files.readString(out));   // stdout: the RunResult only
        assertThat(printed.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(printed.path("notification").path("state").asText()).isEqualTo("PENDING");
        assertThat(printed.path("notification").path("attempts").asInt()).isEqualTo(3);
        assertThat(stderr).contains("interrupted (SIG" + signal + ")").contains("it stays in the outbox: interrupted; "
                + "`jobpilot resume cli-sig" + signal + "` continues it now (and waits), or `jobpilot serve` on the same ledger when it is due");
        assertNoSecret(stderr + printed);

        receiver.resetAll();
        receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(200)));
        Cli resumed = jobpilot("resume", "cli-sig" + signal, "--json");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(attempts()).as("the fourth attempt, at once, delivered").hasSize(1);
        assertThat(attempts().get(0).getHeader("Idempotency-Key")).isEqualTo("cli-sig" + signal);
        assertThat(resumed.json().path("notification").path("state").asText()).isEqualTo("DELIVERED");
        assertThat(resumed.json().path("notification").path("attempts").asInt()).isEqualTo(4);
    }

    /** `jobpilot serve` on this test's ledger. */
    private JobpilotRuntime serve() throws Exception {
        Map<String, String> p = new LinkedHashMap<>(testProperties());
        try (ServerSocket s = new ServerSocket(0)) {
            p.put("jobpilot.server.port", String.valueOf(s.getLocalPort()));
        }
        p.put("jobpilot.server.host", "127.0.0.1");
        return JobpilotRuntime.serve(JobpilotConfig.of(p), new Progress(Progress.Mode.OFF, new PrintWriter(new StringWriter())));
    }
}
