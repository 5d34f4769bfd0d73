package io.jobpilot.notify;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifySignerTest {

    @Test
    void signsWithHmacSha256InLowerCaseHex() {
        // RFC 4231 test case 2
        NotifySigner signer = new NotifySigner("Jefe");

        assertThat(signer.signature("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void withoutASecretNothingIsSigned() {
        assertThat(new NotifySigner(null).isSigning()).isFalse();
        assertThat(new NotifySigner("").isSigning()).isFalse();
        assertThatThrownBy(() -> new NotifySigner(null).signature(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSecretNeverShowsInItsTextForm() {
        assertThat(new NotifySigner("hunter2-secret")).hasToString("NotifySigner[HMAC-SHA256]");
    }
}
