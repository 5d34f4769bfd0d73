package io.jobpilot.notify;

import io.jobpilot.notify.WebhookVerifier.Reason;
import io.jobpilot.notify.WebhookVerifier.Rejected;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What a receiver's check accepts and rejects, on deliveries signed as jobpilot signs them. */
class WebhookVerifierTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final byte[] BODY = "{\"runId\":\"run-7\",\"outcome\":\"SUCCEEDED\"}".getBytes(StandardCharsets.UTF_8);

    private final WebhookVerifier verifier = verifierAt(NOW);

    private static WebhookVerifier verifierAt(Instant now) {
        return new WebhookVerifier(SECRET, Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The headers jobpilot sends for an attempt of delivery {@code id} made at {@code at}. */
    private static Map<String, String> sent(String secret, String id, Instant at, byte[] body) {
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(at.getEpochSecond()),
                "webhook-signature", new NotifySigner(secret).headers(id, at.getEpochSecond(), body).get("webhook-signature"));
    }

    private static Reason rejection(WebhookVerifier v, Map<String, String> headers, byte[] body) {
        Throwable t = catchThrowable(() -> v.verify(headers::get, body));
        assertThat(t).isInstanceOf(Rejected.class);
        return ((Rejected) t).reason();
    }

    @Test
    void aValidDeliveryVerifies() {
        assertThatNoException().isThrownBy(() -> verifier.verify(sent(SECRET, "run-7", NOW.minusSeconds(2), BODY)::get, BODY));
    }

    @Test
    void theStandardWebhooksTestVectorVerifies() {
        WebhookVerifier at = verifierAt(Instant.ofEpochSecond(1614265330L));

        assertThatNoException().isThrownBy(() -> at.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTamperedBodyFails() {
        Map<String, String> headers = sent(SECRET, "run-7", NOW, BODY);
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("SUCCEEDED", "FAILED").getBytes(StandardCharsets.UTF_8);

        assertThat(rejection(verifier, headers, tampered)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aTamperedIdOrTimestampFails() {
        Map<String, String> headers = sent(SECRET, "run-7", NOW, BODY);

        assertThat(rejection(verifier, Map.of("webhook-id", "run-8", "webhook-timestamp", headers.get("webhook-timestamp"),
                "webhook-signature", headers.get("webhook-signature")), BODY)).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejection(verifier, Map.of("webhook-id", "run-7", "webhook-timestamp", Long.toString(NOW.getEpochSecond() + 1),
                "webhook-signature", headers.get("webhook-signature")), BODY)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aWrongSecretFails() {
        assertThat(rejection(verifier, sent("whsec_" + "b3RoZXIta2V5LW9mLTI0LWJ5dGVzISE=", "run-7", NOW, BODY), BODY))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejection(verifier, sent("a-plain-secret", "run-7", NOW, BODY), BODY)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aTimestampOutsideTheWindowFailsEitherWay() {
        assertThat(rejection(verifier, sent(SECRET, "run-7", NOW.minusSeconds(301), BODY), BODY)).isEqualTo(Reason.OUTSIDE_TOLERANCE);
        assertThat(rejection(verifier, sent(SECRET, "run-7", NOW.plusSeconds(301), BODY), BODY)).isEqualTo(Reason.OUTSIDE_TOLERANCE);
        assertThatNoException().isThrownBy(() -> verifier.verify(sent(SECRET, "run-7", NOW.minusSeconds(300), BODY)::get, BODY));
    }

    @Test
    void aReplayedIdAndTimestampFailsButARetryWithAFreshTimestampVerifies() {
        Map<String, String> first = sent(SECRET, "run-7", NOW.minusSeconds(40), BODY);
        verifier.verify(first::get, BODY);

        assertThat(rejection(verifier, first, BODY)).isEqualTo(Reason.REPLAYED);
        assertThatNoException().as("the next attempt of the same delivery")
                .isThrownBy(() -> verifier.verify(sent(SECRET, "run-7", NOW, BODY)::get, BODY));
    }

    @Test
    void aForgedRequestIsNotRememberedSoItCannotBlockTheRealOne() {
        Map<String, String> real = sent(SECRET, "run-7", NOW, BODY);
        Map<String, String> forged = Map.of("webhook-id", "run-7", "webhook-timestamp", real.get("webhook-timestamp"),
                "webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        assertThat(rejection(verifier, forged, BODY)).isEqualTo(Reason.BAD_SIGNATURE);
        assertThatNoException().isThrownBy(() -> verifier.verify(real::get, BODY));
    }

    @Test
    void oneMatchingSignatureAmongSeveralIsEnough() {
        Map<String, String> real = sent(SECRET, "run-7", NOW, BODY);
        String several = "v1a,c29tZS1hc3ltbWV0cmlj v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + real.get("webhook-signature");

        assertThatNoException().isThrownBy(() -> verifier.verify("run-7", real.get("webhook-timestamp"), several, BODY));
    }

    @Test
    void missingOrMalformedHeadersFail() {
        Map<String, String> real = sent(SECRET, "run-7", NOW, BODY);

        assertThat(rejection(verifier, Map.of("webhook-id", "run-7", "webhook-timestamp", real.get("webhook-timestamp")), BODY))
                .isEqualTo(Reason.MISSING_HEADER);
        assertThat(rejection(verifier, Map.of("webhook-id", "run-7", "webhook-timestamp", "2026-12-01T10:00:00Z",
                "webhook-signature", real.get("webhook-signature")), BODY)).isEqualTo(Reason.BAD_TIMESTAMP);
    }

    @Test
    void theSecretAppearsInNoRejection() {
        assertThatThrownBy(() -> verifier.verify(sent("whsec_" + "b3RoZXIta2V5LW9mLTI0LWJ5dGVzISE=", "run-7", NOW, BODY)::get, BODY))
                .hasMessageNotContaining(SECRET).hasMessageNotContaining(SECRET.substring(6));
        assertThatIllegalArgumentException().isThrownBy(() -> new WebhookVerifier("whsec_%%hunter2%%"))
                .withMessageNotContaining("hunter2");
    }
}
