package io.jobpilot.iics;

import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class IicsJwtTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void noSourceMeansThePasswordLoginAndTwoSourcesAreAConfigurationError() {
        assertThat(IicsJwt.of(null, " ", "", TIMEOUT)).isNull();
        assertThatThrownBy(() -> IicsJwt.of("eyJa.b.c", "/tmp/jwt", null, TIMEOUT)).isInstanceOf(UsageException.class)
                .hasMessageContaining("only one of jobpilot.iics.jwt");
    }

    @Test
    void aTokenGivenAsAValueServesOneLoginAndIsNeverSentAgain() {
        IicsJwt jwt = IicsJwt.of("eyJhbGci.payload.sig", null, null, TIMEOUT);
        assertThat(jwt.next()).isEqualTo("eyJhbGci.payload.sig");

        RunFailure again = catchThrowableOfType(RunFailure.class, jwt::next);
        assertThat(again.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(again.getMessage()).contains("one login only").contains("jobpilot.iics.jwt-file").doesNotContain("payload");
    }

    @Test
    void aFileIsReadAgainAtEachLogin() throws Exception {
        Path file = tmp.resolve("token");
        Files.writeString(file, "eyJone.a.b\n");
        IicsJwt jwt = IicsJwt.of(null, file.toString(), null, TIMEOUT);
        assertThat(jwt.next()).isEqualTo("eyJone.a.b");
        Files.writeString(file, "eyJtwo.a.b\n");
        assertThat(jwt.next()).isEqualTo("eyJtwo.a.b");
        assertThatThrownBy(jwt::next).hasMessageContaining("already used");
        Files.delete(file);
        assertThatThrownBy(jwt::next).hasMessageContaining("cannot be read");
    }

    @Test
    void aCommandIsRunAtEachLoginAndItsFirstLineIsTheToken() throws Exception {
        Path counter = tmp.resolve("n");
        IicsJwt jwt = IicsJwt.of(null, null, "echo x >> " + counter + "; echo eyJtok.$(wc -l < " + counter + " | tr -d ' ').sig; echo more",
                TIMEOUT);
        assertThat(jwt.next()).isEqualTo("eyJtok.1.sig");
        assertThat(jwt.next()).isEqualTo("eyJtok.2.sig");
    }

    @Test
    void aFailingOrHangingCommandIsAnAuthenticationFailureWithoutItsOutput() {
        assertThatThrownBy(() -> IicsJwt.of(null, null, "echo eyJsecret.a.b; exit 3", TIMEOUT).next())
                .hasMessageContaining("exited with 3").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> IicsJwt.of(null, null, "sleep 5", Duration.ofMillis(200)).next())
                .hasMessageContaining("did not finish within");
    }
}
