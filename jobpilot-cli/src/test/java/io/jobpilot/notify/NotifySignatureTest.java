package io.jobpilot.notify;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.jobpilot.notify.WebhookVerifier.Reason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A real `jobpilot run --notify` process signs every attempt as Standard Webhooks receivers expect: the receiver's
 * check ({@link WebhookVerifier}) accepts each captured attempt at the time it arrived, every retry has the same
 * webhook-id and a fresh timestamp, a repeat of a captured attempt and a late one are rejected, and the secret
 * appears nowhere in what the process printed or logged. Attempts are a second apart here (1 immediate attempt, then
 * waits of 1s), so that each one falls in a second of its own.
 */
class NotifySignatureTest extends NotifyTestSupport {
    private static final byte[] KEY = new SecureRandom().generateSeed(32);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

    @Override
    protected Map<String, String> testProperties() {
        Map<String, String> p = new LinkedHashMap<>(super.testProperties());
        p.put("jobpilot.notify.immediate-attempts", "1");
        p.put("jobpilot.notify.initial-backoff", "1s");
        p.put("jobpilot.notify.max-backoff", "1s");
        p.put("jobpilot.notify.give-up-after", "30s");
        p.put("jobpilot.notify.attempt-timeout", "5s");
        p.put("jobpilot.notify.signing-secret", SECRET);
        return p;
    }

    /** The receiver's clock: each attempt is checked at the moment the receiver logged it. */
    private static final class ReceiverClock extends Clock {
        private Instant now;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static void verify(WebhookVerifier verifier, LoggedRequest r) {
        verifier.verify(r::getHeader, r.getBody());
    }

    @Test
    void everyAttemptOfARealDeliveryVerifiesWithTheSameIdAndAFreshTimestampAndNoReplayDoes() throws Exception {
        failThenAccept(2, 0);

        Process run = childJvm("run.log", "run", "oneintegrate-session", "-p", "path=Notify/Session", "--run-id", "signed-run",
                "--notify", hookUrl());
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("the run and its notification end").isTrue();
        String log = childLog("run.log");
        assertThat(run.exitValue()).as(log).isZero();

        List<LoggedRequest> attempts = attempts();
        assertThat(attempts).as("two failures, then the delivery").hasSize(3);
        ReceiverClock clock = new ReceiverClock();
        WebhookVerifier verifier = new WebhookVerifier(SECRET, WebhookVerifier.DEFAULT_TOLERANCE, clock);
        long previous = 0;
        for (LoggedRequest r : attempts) {
            clock.now = r.getLoggedDate().toInstant();
            verify(verifier, r);   // a retry is not a replay
            assertThat(r.getHeader("webhook-id")).isEqualTo("signed-run").isEqualTo(r.getHeader("Idempotency-Key"));
            long timestamp = Long.parseLong(r.getHeader("webhook-timestamp"));
            assertThat(timestamp).as("each attempt's own time").isGreaterThan(previous)
                    .isLessThanOrEqualTo(clock.now.getEpochSecond());
            previous = timestamp;
            assertThat(r.getHeader("X-Jobpilot-Signature")).as("the legacy header still signs the body alone with the secret's text")
                    .isEqualTo("sha256=" + HexFormat.of().formatHex(StandardWebhooks.hmac(SECRET.getBytes(StandardCharsets.UTF_8), r.getBody())));
        }

        LoggedRequest delivered = attempts.get(2);
        assertThat(catchThrowableOfType(WebhookVerifier.Rejected.class, () -> verify(verifier, delivered)).reason())
                .as("the delivered request sent again").isEqualTo(Reason.REPLAYED);
        clock.now = delivered.getLoggedDate().toInstant().plus(WebhookVerifier.DEFAULT_TOLERANCE).plusSeconds(2);
        WebhookVerifier later = new WebhookVerifier(SECRET, WebhookVerifier.DEFAULT_TOLERANCE, clock);
        assertThat(catchThrowableOfType(WebhookVerifier.Rejected.class, () -> verify(later, delivered)).reason())
                .as("a captured request, to a receiver that never saw it, once the window has passed").isEqualTo(Reason.OUTSIDE_TOLERANCE);

        String key = SECRET.substring("whsec_".length());
        assertThat(log).contains("delivered (attempt 3)").doesNotContain(key);
        assertThat(runJson("signed-run").toString()).doesNotContain(key);
    }

    @Test
    void aWhsecSecretThatIsNotBase64IsAConfigurationErrorThatDoesNotShowIt() {
        Cli cli = jobpilot("run", "oneintegrate-session", "-p", "path=Notify/Session", "--run-id", "bad-secret", "--notify", hookUrl(),
                "--set", "jobpilot.notify.signing-secret=whsec_hunter2*not*base64");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
        assertThat(cli.err().strip().lines()).as(cli.toString()).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("jobpilot.notify.signing-secret").contains("whsec_").doesNotContain("hunter2"));
        assertThat(cli.out()).doesNotContain("hunter2");
        assertThat(attempts()).isEmpty();
    }
}
