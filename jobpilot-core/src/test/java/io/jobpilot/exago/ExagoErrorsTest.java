package io.jobpilot.exago;

import io.jobpilot.http.TransientHttpException;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class ExagoErrorsTest {
    private static final VendorRequest BATCH = VendorRequest.json("Exago", "send batch", "POST", "http://h/rest/batch", "[]");

    private static VendorResponse answer(int status, String contentType, String body) {
        return new VendorResponse(BATCH, status, Map.of("content-type", contentType), body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "Unauthorized => AUTHENTICATION => jobpilot.exago.rest-key",
            "Invalid length for a Base-64 char array or string. => AUTHENTICATION => jobpilot.exago.user-id",
            "Unable to load configuration => USAGE => -p config-name",
            "setupD is null => USAGE => -p sid does not name a live API session",
            "Unexpected character encountered while parsing value => VENDOR => check each item's Url and Payload JSON"})
    void a500WithAReasonIsClassified(String reason, ErrorKind kind, String advice) {
        RunFailure f = ExagoErrors.classify(answer(500, "application/json", "{\"reason\":\"" + reason + "\"}"));
        assertThat(f).isNotInstanceOf(TransientHttpException.class);
        assertThat(f.kind()).isEqualTo(kind);
        assertThat(f.vendorCode()).isEqualTo("500");
        assertThat(f.getMessage()).contains(reason, advice, "'send batch'");
    }

    @Test
    void htmlPagesPointAtTheEndpointOrTheRestSwitch() {
        assertThat(ExagoErrors.classify(answer(500, "text/html", "<html><title>Runtime Error</title></html>")).getMessage())
                .contains("Runtime Error", "REST is probably not enabled");
        RunFailure notFound = ExagoErrors.classify(answer(404, "text/html", "<html><title>Not Found</title></html>"));
        assertThat(notFound.kind()).isEqualTo(ErrorKind.USAGE);
        assertThat(notFound.getMessage()).contains("wrong method or path", "jobpilot.exago.base-url");
    }

    @Test
    void only503IsTransient() {
        assertThat(ExagoErrors.classify(answer(503, "text/plain", "down"))).isInstanceOf(TransientHttpException.class);
        assertThat(ExagoErrors.classify(answer(502, "application/json", "{\"reason\":\"x\"}"))).isNotInstanceOf(TransientHttpException.class);
    }

    @Test
    void a2xxJsonAnswerIsAccepted() {
        assertThatCode(() -> ExagoErrors.requireAccepted(answer(200, "application/json", "[]"))).doesNotThrowAnyException();
    }
}
