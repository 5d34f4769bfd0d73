package io.jobpilot.notify;

import io.jobpilot.config.JobpilotConfig.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifySignerTest {
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsAsTheStandardWebhooksTestVectorSays() {
        // the vector the Standard Webhooks reference libraries are tested with: a receiver's library accepts ours
        NotifySigner signer = new NotifySigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        assertThat(signer.headers("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, SPEC_BODY))
                .containsEntry("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aPlainSecretIsItsOwnUtf8Key() {
        byte[] key = "Jefe".getBytes(StandardCharsets.UTF_8);
        String expected = StandardWebhooks.signature(key, "run-1", 1700000000L, SPEC_BODY);

        assertThat(new NotifySigner("Jefe").headers("run-1", 1700000000L, SPEC_BODY)).containsEntry("webhook-signature", expected);
    }

    @Test
    void theLegacyHeaderIsStillTheHexHmacOfTheBodyKeyedWithTheSecretText() {
        // RFC 4231 test case 2
        byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);

        assertThat(new NotifySigner("Jefe").headers("any-id", 1L, body))
                .containsEntry("X-Jobpilot-Signature", "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // a whsec_ secret keys the legacy header with its text, prefix and all, exactly as before this scheme
        String whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        assertThat(new NotifySigner(whsec).headers("any-id", 1L, body)).containsEntry("X-Jobpilot-Signature",
                "sha256=" + HexFormat.of().formatHex(StandardWebhooks.hmac(whsec.getBytes(StandardCharsets.UTF_8), body)));
    }

    @Test
    void withoutASecretNothingIsSigned() {
        assertThat(new NotifySigner(null).isSigning()).isFalse();
        assertThat(new NotifySigner("").isSigning()).isFalse();
        assertThatThrownBy(() -> new NotifySigner(null).headers("id", 1L, new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWhsecSecretThatIsNotBase64IsAConfigurationErrorThatDoesNotShowIt() {
        assertThatThrownBy(() -> new NotifySigner("whsec_not*base64!hunter2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobpilot.notify.signing-secret")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> new NotifySigner("whsec_")).isInstanceOf(ConfigException.class);
    }

    @Test
    void theSecretNeverShowsInItsTextForm() {
        assertThat(new NotifySigner("hunter2-secret")).hasToString("NotifySigner[HMAC-SHA256]");
    }
}
