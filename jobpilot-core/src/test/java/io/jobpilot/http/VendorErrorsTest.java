package io.jobpilot.http;

import io.jobpilot.run.Secrets;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VendorErrorsTest {
    private static VendorResponse response(int status, String contentType, String body) {
        return new VendorResponse(VendorRequest.get("V", "step", "http://x/y"), status, Map.of("content-type", contentType),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEachVendorsErrorShape() {
        assertThat(VendorErrors.describe(response(401, "application/json",
                "{\"error\":{\"code\":\"IDS_085\",\"message\":\"User name or password is not valid.\",\"requestId\":\"x\"}}")))
                .isEqualTo(new VendorErrors.Described("IDS_085", "User name or password is not valid."));
        assertThat(VendorErrors.describe(response(403, "application/json",
                "{\"code\":\"APP_13401\",\"description\":\"Wrong parameter value id\",\"statusCode\":403,\"@type\":\"error\"}")))
                .isEqualTo(new VendorErrors.Described("APP_13401", "Wrong parameter value id"));
        assertThat(VendorErrors.describe(response(500, "application/json", "{\"reason\":\"setupD is null\",\"stacktrace\":\"...\"}")).message())
                .isEqualTo("setupD is null");
        assertThat(VendorErrors.describe(response(200, "application/json", "{\"status\":\"error\",\"result\":{\"message\":\"apiKey parameter is required.\"}}")).message())
                .isEqualTo("apiKey parameter is required.");
        assertThat(VendorErrors.describe(response(500, "text/html", "<html><title>Runtime Error</title></html>")).message())
                .isEqualTo("HTML error page 'Runtime Error'");
        assertThat(VendorErrors.describe(response(502, "text/plain", "Bad gateway")).message()).isEqualTo("Bad gateway");
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        assertThat(RetryAfter.parse("3", now)).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse("Sun, 22 Nov 2026 10:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("later", now)).isNull();
    }

    @Test
    void secretsAreMaskedInTextAndParameters() {
        assertThat(Secrets.scrub("GET http://h/api/v1/getJobStatus.jsp?apiKey=abc123&jobId=7"))
                .isEqualTo("GET http://h/api/v1/getJobStatus.jsp?apiKey=****&jobId=7");
        assertThat(Secrets.scrub("header Authorization: Bearer eyJhbGciOi.x.y")).doesNotContain("eyJhbGciOi");
        assertThat(Secrets.maskParams(Map.of("path", "a", "api-key", "k"))).containsEntry("api-key", Secrets.MASK).containsEntry("path", "a");
    }
}
