package io.jobpilot.oneintegrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.run.RemoteState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OneIntegrateBeansTest {
    @Test
    void statusWordsMapWhateverTheirCase() {
        assertThat(OneIntegrateStatus.map("Finished", null, true).state()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(OneIntegrateStatus.map("FINISHED", null, true).state()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(OneIntegrateStatus.map("Paused", null, true).state()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(OneIntegrateStatus.map("Paused", null, false).state()).isEqualTo(RemoteState.RUNNING);
        assertThat(OneIntegrateStatus.map("Not Started", null, true).state()).isEqualTo(RemoteState.RUNNING);
        assertThat(OneIntegrateStatus.map("Session queue assigned", null, true).state()).isEqualTo(RemoteState.RUNNING);
        assertThat(OneIntegrateStatus.map("Error", "boom", true).state()).isEqualTo(RemoteState.FAILED);
        assertThat(OneIntegrateStatus.map("failed", null, true).state()).isEqualTo(RemoteState.FAILED);
        assertThat(OneIntegrateStatus.map("Stopped", null, true).state()).isEqualTo(RemoteState.STOPPED);
        assertThat(OneIntegrateStatus.map("Thinking", null, true).state()).isEqualTo(RemoteState.UNKNOWN);
    }

    @Test
    void pathSegmentsAreEncodedOneByOne() {
        assertThat(SessionPaths.encode("Quality Checks/Roads & Rails/Run #1")).isEqualTo("Quality%20Checks/Roads%20%26%20Rails/Run%20%231");
        assertThat(SessionPaths.encode("/a//b/")).isEqualTo("a/b");
        assertThat(SessionPaths.encode("100%/ü")).isEqualTo("100%25/%C3%BC");
    }

    @Test
    void taskIdentifiersAreFoundUnderEitherSpellingInDocumentOrder() throws Exception {
        JsonNode session = Json.MAPPER.readTree("{\"tasks\":[{\"taskIdentifier\":\"a\"},{\"taskIndentifier\":\"b\"},"
                + "{\"group\":{\"tasks\":[{\"taskIdentifier\":\"c\"},{\"taskIdentifier\":\"a\"}]}}]}");
        List<String> ids = new ArrayList<>();
        OneIntegrateApi.collectTaskIds(session, ids);
        assertThat(ids).containsExactly("a", "b", "c");
        assertThat(OneIntegrateApi.taskDir("../etc/passwd")).isEqualTo("_._etc_passwd");
    }

    @Test
    void theTokenExpiryIsReadFromTheJwt() {
        long exp = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        assertThat(OneIntegrateToken.expiryOf("h." + claims + ".s")).contains(Instant.ofEpochSecond(exp));
        assertThat(OneIntegrateToken.expiryOf("opaque-token")).isEmpty();
    }
}
