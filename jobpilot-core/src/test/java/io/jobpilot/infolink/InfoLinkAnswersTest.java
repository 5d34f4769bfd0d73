package io.jobpilot.infolink;

import io.jobpilot.http.TransientHttpException;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class InfoLinkAnswersTest {
    private static final VendorRequest STATUS = VendorRequest.get("InfoLink", "get job status",
            "http://h/infolink/api/v1/getJobStatus.jsp?apiKey=secret-key&appId=7&jobId=r1");

    private static VendorResponse answer(int status, String contentType, String body) {
        return new VendorResponse(STATUS, status, Map.of("content-type", contentType), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anErrorEnvelopeOnHttp200FailsWithItsMessageAndNoKey() {
        RunFailure f = catchThrowableOfType(RunFailure.class, () -> InfoLinkAnswers.require(answer(200, "application/json",
                "{\"status\":\"error\",\"result\":{\"message\":\"Job 'r1' not found.\"}}")));
        assertThat(f.kind()).isEqualTo(ErrorKind.VENDOR);
        assertThat(f.getMessage()).contains("HTTP 200", "Job 'r1' not found.", "apiKey=****").doesNotContain("secret-key");
    }

    @Test
    void keyProblemsAreAuthentication() {
        RunFailure f = catchThrowableOfType(RunFailure.class, () -> InfoLinkAnswers.require(answer(200, "application/json",
                "{\"status\":\"error\",\"result\":{\"message\":\"Invalid API key.\"}}")));
        assertThat(f.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(catchThrowableOfType(RunFailure.class, () -> InfoLinkAnswers.require(answer(401, "text/plain", "no"))).kind())
                .isEqualTo(ErrorKind.AUTHENTICATION);
    }

    @Test
    void busyAndBareServerErrorsAreTransientButA500EnvelopeIsNot() {
        assertThatThrownBy(() -> InfoLinkAnswers.require(answer(503, "application/json", "{\"status\":\"error\",\"result\":{\"message\":\"busy\"}}")))
                .isInstanceOf(TransientHttpException.class);
        assertThatThrownBy(() -> InfoLinkAnswers.require(answer(500, "text/html", "<html><title>Oops</title></html>")))
                .isInstanceOf(TransientHttpException.class);
        assertThatThrownBy(() -> InfoLinkAnswers.require(answer(500, "application/json", "{\"status\":\"error\",\"result\":{\"message\":\"Scenario missing\"}}")))
                .isNotInstanceOf(TransientHttpException.class).hasMessageContaining("Scenario missing");
    }

    @Test
    void aSuccessEnvelopePassesAndAnythingElseIsAProtocolError() {
        assertThat(InfoLinkAnswers.require(answer(200, "application/json", "{\"status\":\"success\",\"result\":{\"status\":\"running\"}}"))
                .jobStatus()).isEqualTo("running");
        assertThat(catchThrowableOfType(RunFailure.class, () -> InfoLinkAnswers.require(answer(200, "text/html", "<html><title>Login</title></html>")))
                .kind()).isEqualTo(ErrorKind.PROTOCOL);
        assertThat(catchThrowableOfType(RunFailure.class, () -> InfoLinkAnswers.require(answer(200, "application/json", "{\"ok\":true}")))
                .getMessage()).contains("no {\"status\",\"result\"} envelope");
    }
}
