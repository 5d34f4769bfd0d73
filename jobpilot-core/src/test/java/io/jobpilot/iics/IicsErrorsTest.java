package io.jobpilot.iics;

import io.jobpilot.http.TransientHttpException;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class IicsErrorsTest {
    private static final VendorRequest V2 = VendorRequest.json("IICS", "start job", "POST", "https://pod/saas/api/v2/job", "{}");
    private static final VendorRequest V3 = VendorRequest.get("IICS", "get export status", "https://pod/saas/public/core/v3/export/x");

    private static VendorResponse answer(VendorRequest q, int status, String body, Map<String, String> headers) {
        return new VendorResponse(q, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void check(VendorResponse r) {
        IicsErrors.requireSuccessOf(r);
    }

    /** The status decides, not the body: a 2xx passes even when its body reads like an error (or is empty). */
    @ParameterizedTest
    @ValueSource(ints = {200, 201, 204, 299})
    void everySuccessStatusPassesWhateverTheBody(int status) {
        for (VendorRequest q : new VendorRequest[] {V2, V3}) {
            assertThatNoException().as("HTTP %d to %s", status, q).isThrownBy(() -> check(answer(q, status,
                    "{\"error\":{\"code\":\"X\",\"message\":\"Too Many Requests\"},\"@type\":\"error\"}", Map.of())));
            assertThatNoException().isThrownBy(() -> check(answer(q, status, "", Map.of())));
        }
    }

    @Test
    void v2ForbiddenIsClassifiedByTheVendorCode() {
        RunFailure f = catchThrowableOfType(RunFailure.class, () -> check(answer(V2, 403,
                "{\"code\":\"APP_13436\",\"description\":\"No object named x exists for organization y.\",\"statusCode\":403,\"@type\":\"error\"}",
                Map.of())));
        assertThat(f.kind()).isEqualTo(ErrorKind.VENDOR);
        assertThat(f.vendorCode()).isEqualTo("APP_13436");
        assertThat(f.step()).isEqualTo("start job");
        assertThat(f.getMessage()).contains("HTTP 403").contains("APP_13436 No object named x").contains("invalid or unknown values");
    }

    @Test
    void v3ErrorWithNullCodeFallsBackToTheStatus() {
        RunFailure f = catchThrowableOfType(RunFailure.class, () -> check(answer(V3, 400,
                "{\"error\":{\"code\":null,\"message\":\"Method not supported.\",\"requestId\":\"r\",\"details\":null,\"debugMessage\":\"x\"}}",
                Map.of())));
        assertThat(f.kind()).isEqualTo(ErrorKind.VENDOR);
        assertThat(f.vendorCode()).isEqualTo("400");
        assertThat(f.getMessage()).contains("Method not supported.");
    }

    @Test
    void transientAnswersAreRetriedWithRetryAfter() {
        TransientHttpException t = catchThrowableOfType(TransientHttpException.class, () -> check(answer(V3, 429,
                "{\"error\":{\"code\":null,\"message\":\"too many requests\"}}", Map.of("retry-after", "7"))));
        assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        for (int status : new int[] {502, 503, 504}) {
            assertThatThrownBy(() -> check(answer(V3, status, "{}", Map.of()))).isInstanceOf(TransientHttpException.class);
        }
    }

    @Test
    void tooManyRequestsIsTransientWhateverTheStatus() {
        assertThat(IicsErrors.isTransient(403, "Too Many Requests, try later")).isTrue();
        assertThat(IicsErrors.isTransient(500, "Internal error")).isFalse();
        assertThat(IicsErrors.isTransient(400, null)).isFalse();
    }

    @Test
    void aServerErrorIsNotRetried() {
        assertThatThrownBy(() -> check(answer(V3, 500, "{\"error\":{\"code\":\"X\",\"message\":\"boom\"}}", Map.of())))
                .isNotInstanceOf(TransientHttpException.class).isInstanceOf(RunFailure.class);
    }

    @Test
    void aRefusedSessionIsAnAuthenticationFailure() {
        RunFailure f = catchThrowableOfType(RunFailure.class, () -> check(answer(V2, 401,
                "{\"code\":\"AUTH_01\",\"description\":\"Invalid or expired session ID.\",\"statusCode\":401}", Map.of())));
        assertThat(f.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    }
}
