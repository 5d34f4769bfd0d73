package io.jobpilot.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.runtime.JobpilotRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `jobpilot run --notify URL`: the command makes the immediate attempts before it exits, says where the notification
 * stands, and leaves an undelivered one in the outbox, where a long-lived runtime continues its schedule.
 */
class NotifyCommandLineTest extends NotifyTestSupport {

    private Cli run(String runId) {
        return jobpilot("run", "oneintegrate-session", "-p", "path=Notify/Session", "--run-id", runId, "--notify", hookUrl(), "--json");
    }

    @Test
    void aReceiverThatAnswers200GetsTheResultOnceBeforeTheCommandExits() {
        receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(200)));

        Cli cli = run("cli-delivered");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().get(0).getHeader("Idempotency-Key")).isEqualTo("cli-delivered");
        JsonNode notification = cli.json().path("notification");
        assertThat(notification.path("state").asText()).isEqualTo("DELIVERED");
        assertThat(notification.path("attempts").asInt()).isEqualTo(1);
        assertThat(cli.err()).doesNotContain("stays in the outbox");
    }

    @Test
    void undeliveredAfterTheImmediateAttemptsItStaysPendingAndServeContinuesIt() {
        receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(502)));

        Cli cli = run("cli-pending");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(attempts()).as("the immediate attempts only").hasSize(3);
        JsonNode notification = cli.json().path("notification");
        assertThat(notification.path("state").asText()).isEqualTo("PENDING");
        assertThat(notification.path("attempts").asInt()).isEqualTo(3);
        assertThat(notification.path("lastError").asText()).contains("HTTP 502");
        assertThat(notification.path("nextAttemptAt").asText()).isNotEmpty();
        assertThat(cli.err()).contains("PENDING after 3 attempts").contains("stays in the outbox").contains("jobpilot serve");
        assertThat(jobpilot("show", "cli-pending").out()).contains("notified:").contains("PENDING after 3 attempts")
                .contains("HTTP 502");

        receiver.resetAll();
        receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(200)));
        try (JobpilotRuntime serve = startRuntime()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(notification(serve, "cli-pending").state()));
        }

        assertThat(attempts()).as("one more, delivered").hasSize(1);
        assertThat(notification("cli-pending").path("attempts").asInt()).isEqualTo(4);
    }

    private JsonNode notification(String runId) {
        return jobpilot("show", runId, "--json").json().path("run").path("notification");
    }
}
