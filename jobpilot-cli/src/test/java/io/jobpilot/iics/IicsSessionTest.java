package io.jobpilot.iics;

import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.RunFailure;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class IicsSessionTest {
    private static final String LOGIN = "{\"products\":[{\"name\":\"Integration Cloud\",\"baseApiUrl\":\"https://na1.dm-us.informaticacloud.com/saas\"}],"
            + "\"userInfo\":{\"sessionId\":\"S3cr3tSession\",\"name\":\"u\",\"emails\":\"someone@example.com\"}}";

    private final MutableClock clock = new MutableClock();
    private final IicsSession session = new IicsSession("https://dm-us.informaticacloud.com/", "u", "p", null, null,
            Duration.ofMinutes(25), clock);
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    private void login(int status, String body) {
        session.loginRequest(exchange);
        VendorRequest q = exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
        exchange.setProperty(HttpExchanges.RESPONSE, new VendorResponse(q, status, Map.of(), body.getBytes(StandardCharsets.UTF_8)));
        session.accept(exchange);
    }

    private VendorRequest authorized(VendorRequest pending) {
        exchange.setProperty(IicsSession.PENDING, pending);
        session.authorize(exchange);
        return exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
    }

    @Test
    void logsInAtTheV3LoginOfTheConfiguredHost() {
        session.loginRequest(exchange);
        VendorRequest q = exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
        assertThat(q.url()).isEqualTo("https://dm-us.informaticacloud.com/saas/public/core/v3/login");
        assertThat(q.toString()).doesNotContain("p\"");
    }

    @Test
    void v3AndV2CallsGoUnderBaseApiUrlWithTheirOwnHeader() {
        login(200, LOGIN);
        VendorRequest v3 = authorized(VendorRequest.get("IICS", "s", "/public/core/v3/export/1"));
        VendorRequest v2 = authorized(VendorRequest.get("IICS", "s", "/api/v2/activity/activityMonitor"));

        assertThat(v3.url()).isEqualTo("https://na1.dm-us.informaticacloud.com/saas/public/core/v3/export/1");
        assertThat(v3.headers()).containsEntry("INFA-SESSION-ID", "S3cr3tSession").doesNotContainKey("icSessionId");
        assertThat(v2.url()).isEqualTo("https://na1.dm-us.informaticacloud.com/saas/api/v2/activity/activityMonitor");
        assertThat(v2.headers()).containsEntry("icSessionId", "S3cr3tSession").doesNotContainKey("INFA-SESSION-ID");
        assertThat(exchange.getProperty(HttpExchanges.RESPONSE)).as("the login answer is not kept").isNull();
    }

    @Test
    void v2CallsGoToServerUrlWhenTheLoginAnswerSeparatesTheTwo() {
        login(200, "{\"products\":[{\"baseApiUrl\":\"https://na1.dm-us.informaticacloud.com/saas\"}],\"serverUrl\":"
                + "\"https://usw3.dm-us.informaticacloud.com/saas/\",\"userInfo\":{\"sessionId\":\"S\"}}");

        assertThat(authorized(VendorRequest.get("IICS", "s", "/api/v2/job")).url()).isEqualTo("https://usw3.dm-us.informaticacloud.com/saas/api/v2/job");
        assertThat(authorized(VendorRequest.get("IICS", "s", "/public/core/v3/lookup")).url())
                .isEqualTo("https://na1.dm-us.informaticacloud.com/saas/public/core/v3/lookup");
    }

    @Test
    void ssoLogsInWithAFreshJwtAtLoginOAuthAndUsesTheServerUrlItAnswers() throws Exception {
        Path file = Files.createTempFile("jwt", ".txt");
        try {
            Files.writeString(file, "eyJhbGciOi.first.sig\n");
            IicsSession sso = new IicsSession("https://dm-us.informaticacloud.com", null, null, "0119Y4",
                    IicsJwt.of(null, file.toString(), null, Duration.ofSeconds(5)), Duration.ofMinutes(25), clock);
            sso.loginRequest(exchange);
            VendorRequest q = exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
            assertThat(q.url()).isEqualTo("https://dm-us.informaticacloud.com/ma/api/v2/user/loginOAuth");
            assertThat(Json.MAPPER.readTree(q.body()).path("oauthToken").asText()).isEqualTo("eyJhbGciOi.first.sig");
            assertThat(Json.MAPPER.readTree(q.body()).path("orgId").asText()).isEqualTo("0119Y4");
            exchange.setProperty(HttpExchanges.RESPONSE, new VendorResponse(q, 200, Map.of(), ("{\"@type\":\"user\",\"icSessionId\":\"S2\","
                    + "\"serverUrl\":\"https://na1.dm-us.informaticacloud.com/saas\",\"emails\":\"someone@example.com\"}").getBytes(StandardCharsets.UTF_8)));
            sso.accept(exchange);
            exchange.setProperty(IicsSession.PENDING, VendorRequest.get("IICS", "s", "/public/core/v3/lookup"));
            sso.authorize(exchange);
            VendorRequest v3 = exchange.getProperty(HttpExchanges.REQUEST, VendorRequest.class);
            assertThat(v3.url()).isEqualTo("https://na1.dm-us.informaticacloud.com/saas/public/core/v3/lookup");
            assertThat(v3.headers()).containsEntry("INFA-SESSION-ID", "S2");

            RunFailure replay = catchThrowableOfType(RunFailure.class, () -> sso.loginRequest(exchange));
            assertThat(replay.getMessage()).as("the file still holds the used token").contains("already used").doesNotContain("first");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void logsInAgainBeforeTheIdleExpiryAndAfterInvalidation() {
        assertThat(session.needsLogin()).isTrue();
        login(200, LOGIN);
        assertThat(session.needsLogin()).isFalse();
        clock.advance(Duration.ofMinutes(20));
        authorized(VendorRequest.get("IICS", "s", "/api/v2/job"));
        clock.advance(Duration.ofMinutes(20));
        assertThat(session.needsLogin()).as("used 20 minutes ago").isFalse();
        clock.advance(Duration.ofMinutes(6));
        assertThat(session.needsLogin()).as("idle 26 minutes").isTrue();
        login(200, LOGIN);
        session.invalidate();
        assertThat(session.needsLogin()).isTrue();
    }

    @Test
    void rejectedCredentialsAreAnAuthenticationFailureWithTheVendorCode() {
        RunFailure f = catchThrowableOfType(RunFailure.class, () -> login(401,
                "{\"error\":{\"code\":\"IDS_085\",\"message\":\"User name or password is not valid.\",\"requestId\":\"r\"}}"));
        assertThat(f.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(f.vendorCode()).isEqualTo("IDS_085");
        assertThat(f.getMessage()).contains("User name or password is not valid").doesNotContain("\"p\"");
    }

    @Test
    void aLoginAnswerWithoutSessionIsAProtocolError() {
        RunFailure f = catchThrowableOfType(RunFailure.class, () -> login(200, "{\"products\":[]}"));
        assertThat(f.kind()).isEqualTo(ErrorKind.PROTOCOL);
        assertThat(f.getMessage()).doesNotContain("someone@example.com");
    }

    @Test
    void aLoginAnswerThatIsNotJsonIsNotQuoted() {
        RunFailure f = catchThrowableOfType(RunFailure.class, () -> login(200, "<user><emails>someone@example.com</emails>"));
        assertThat(f.kind()).isEqualTo(ErrorKind.PROTOCOL);
        assertThat(f.getMessage()).contains("not a JSON object").doesNotContain("someone@example.com");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
