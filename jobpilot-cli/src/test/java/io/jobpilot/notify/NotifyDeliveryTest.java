package io.jobpilot.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.jobpilot.ledger.EndedRuns;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.run.Notification;
import io.jobpilot.app.JobpilotRuntime;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Deliveries in a process that stays up: recovery, timeouts, restarts, headers and the signature. */
class NotifyDeliveryTest extends NotifyTestSupport {

    private static void awaitState(JobpilotRuntime runtime, String runId, String state) {
        await().atMost(Duration.ofSeconds(10)).until(() -> state.equals(notification(runtime, runId).state()));
    }

    @Test
    void aReceiverThatRecoversGetsTheRunOnceMoreAndNeverAgain() throws Exception {
        failThenAccept(2, 0);
        try (JobpilotRuntime runtime = startRuntime()) {
            String runId = runWithNotify(runtime).runId();

            awaitState(runtime, runId, "DELIVERED");
            assertNothingMoreToSend(runtime);

            assertThat(attempts()).as("nothing follows a delivery").hasSize(3);
            Notification n = notification(runtime, runId);
            assertThat(n.attempts()).isEqualTo(3);
            assertThat(n.lastError()).contains("HTTP 500");
            assertThat(n.nextAttemptAt()).isNull();
            for (LoggedRequest r : attempts()) {
                assertThat(r.getHeader("Idempotency-Key")).isEqualTo(runId);
                assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
                assertThat(r.containsHeader("X-Jobpilot-Signature")).isFalse();
                assertThat(r.getBodyAsString()).isEqualTo(attempts().get(0).getBodyAsString());
            }
            JsonNode posted = Json.MAPPER.readTree(attempts().get(0).getBody());
            JsonNode runJson = runJson(runId);
            assertThat(posted).isEqualTo(runJson);
            assertThat(posted.path("outcome").asText()).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void noOtherHeadersTravelWithTheDelivery() {
        receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(200)));
        try (JobpilotRuntime runtime = startRuntime()) {
            String runId = runWithNotify(runtime).runId();
            awaitState(runtime, runId, "DELIVERED");

            LoggedRequest r = attempts().get(0);
            List<String> names = r.getHeaders().all().stream().map(h -> h.key().toLowerCase()).toList();
            assertThat(names).doesNotContain("runid", "workflow", "authorization", "camelhttpuri", "breadcrumbid")
                    .allSatisfy(n -> assertThat(n).doesNotStartWith("camel"));
            assertThat(names).contains("idempotency-key", "content-type");
        }
    }

    @Test
    void aSlowReceiverPastTheAttemptTimeoutIsAFailedAttempt() {
        failThenAccept(2, 800);   // 200, but after 800ms: the attempt timeout is 300ms
        try (JobpilotRuntime runtime = startRuntime()) {
            String runId = runWithNotify(runtime).runId();

            awaitState(runtime, runId, "DELIVERED");

            Notification n = notification(runtime, runId);
            assertThat(n.attempts()).isEqualTo(3);
            assertThat(n.lastError()).containsIgnoringCase("timeout");
            assertThat(attempts()).hasSize(3);
        }
    }

    @Test
    void bothSignaturesCoverTheExactBodyAndTheSecretIsStoredNowhere() throws Exception {
        String secret = "s3cr3t-for-hooks-" + System.nanoTime();
        receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(200)));
        String runId;
        try (JobpilotRuntime runtime = startRuntime(Map.of("jobpilot.notify.signing-secret", secret))) {
            runId = runWithNotify(runtime).runId();
            awaitState(runtime, runId, "DELIVERED");
        }

        LoggedRequest r = attempts().get(0);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(r.getHeader("X-Jobpilot-Signature")).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.getBody())));
        assertThat(r.getHeader("webhook-id")).isEqualTo(runId);
        new WebhookVerifier(secret, WebhookVerifier.DEFAULT_TOLERANCE, Clock.fixed(r.getLoggedDate().toInstant(), ZoneOffset.UTC))
                .verify(r::getHeader, r.getBody());
        assertThat(Files.readString(runDir(runId).resolve("run.json"))).doesNotContain(secret);
        assertThat(ledgerDump()).contains(runId).doesNotContain(secret);
    }

    @Test
    void aRestartInTheMiddleOfTheScheduleContinuesItAndDeliversExactlyOnce() throws Exception {
        receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(503)));
        String runId;
        Map<String, String> longerGiveUp = Map.of("jobpilot.notify.give-up-after", "30s");   // restarts take seconds
        JobpilotRuntime first = startRuntime(longerGiveUp);
        try (first) {
            runId = runWithNotify(first).runId();
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts().size() >= 5);
        }
        // a stopped process sends nothing more: its context stopped with no exchange in flight (a redelivery waiting on
        // the scheduler is one), and the receiver has every attempt it counted (the last may still have been on its
        // way to the receiver as it stopped)
        assertThat(first.context().isStopped()).isTrue();
        assertThat(first.context().getInflightRepository().size()).isZero();
        int beforeRestart = attemptsCounted(runId);
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts().size() == beforeRestart);
        assertThat(beforeRestart).isLessThan(9);

        // the receiver fails once more after the restart, then accepts
        receiver.resetAll();
        failThenAccept(1, 0);
        try (JobpilotRuntime second = startRuntime(longerGiveUp)) {
            awaitState(second, runId, "DELIVERED");
            assertNothingMoreToSend(second);   // a delivered notification is never sent again

            assertThat(attempts()).as("after the restart: one more failure, then the delivery").hasSize(2);
            assertThat(gaps().get(0)).as("the schedule goes on where it was (a capped wait), not immediately again")
                    .isGreaterThanOrEqualTo(199);
            Notification n = notification(second, runId);
            assertThat(n.attempts()).isEqualTo(beforeRestart + 2);
            assertThat(attempts()).allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo(runId));
        }
        try (JobpilotRuntime third = startRuntime(longerGiveUp)) {
            assertNothingMoreToSend(third);   // the restarted process must not send it again
            assertThat(attempts()).as("never again after DELIVERED, not even after another restart").hasSize(2);
        }
    }

    @Test
    void aStoppingProcessDoesNotSitOutAWaitAndLeavesTheRestToTheOutbox() {
        receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(503)));
        Map<String, String> longWaits = Map.of("jobpilot.notify.initial-backoff", "20s", "jobpilot.notify.max-backoff", "1m",
                "jobpilot.notify.give-up-after", "10m");
        JobpilotRuntime runtime = startRuntime(longWaits);
        String runId = runWithNotify(runtime).runId();
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts().size() == 3 && notification(runtime, runId).nextAttemptAt() != null);
        long t0 = System.nanoTime();
        runtime.close();
        long stopMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(stopMs).as("stopped without waiting out the 20s wait or the 10s shutdown timeout").isLessThan(5_000);
        assertThat(attempts()).as("no attempt while stopping").hasSize(3);
        try (JobpilotRuntime next = startRuntime(longWaits)) {
            Notification n = notification(next, runId);
            assertThat(n.state()).isEqualTo("PENDING");
            assertThat(n.attempts()).isEqualTo(3);
            assertThat(Duration.between(n.lastAttemptAt(), n.nextAttemptAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        }
    }

    @Test
    void aNotificationQueuedByAProcessThatDiedBeforeSendingIsDeliveredByTheNextOne() {
        receiver.stubFor(post(HOOK).willReturn(aResponse().withStatus(200)));
        try (Ledger ledger = Ledger.open(dbUrl(), "sa", "", 2)) {
            EndedRuns.end(ledger, out(), "ended-then-crashed", hookUrl());   // the run's end, and nothing sent
        }

        Notification n;
        try (JobpilotRuntime next = startRuntime()) {
            awaitState(next, "ended-then-crashed", "DELIVERED");
            n = notification(next, "ended-then-crashed");
        }

        assertThat(attempts()).as(n.toString()).hasSize(1);
        assertThat(attempts().get(0).getHeader("Idempotency-Key")).isEqualTo("ended-then-crashed");
    }

    /** The attempts the outbox counted for the run's notification, as a stopped process left them in the ledger. */
    private int attemptsCounted(String runId) {
        try (Ledger ledger = Ledger.open(dbUrl(), "sa", "", 2)) {
            return ledger.find(runId).orElseThrow().result().notification().attempts();
        }
    }

    /** Every row of every table, as text (H2's SCRIPT). */
    private String ledgerDump() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = DriverManager.getConnection(dbUrl(), "sa", ""); ResultSet rs = c.createStatement().executeQuery("SCRIPT")) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }
}
