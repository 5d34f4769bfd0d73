package io.jobpilot.callback;

import io.jobpilot.run.Json;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The intake's answers, without HTTP: the exchange as platform-http hands it over (path parameter token, body bytes). */
class CallbackIntakeTest {
    private static final String VALID = "{\"@type\":\"callbackUrlResponse\",\"endTime\":\"2013-02-27T18:57:52.000Z\","
            + "\"objectId\":\"0034J90000000M\",\"objectName\":\"taskName\",\"runId\":5,\"status\":\"COMPLETED\"}";

    @TempDir
    Path tmp;

    private CallbackFixture f;
    private CallbackIntake intake;
    private String token;

    @BeforeEach
    void open() {
        f = new CallbackFixture(tmp);
        intake = new CallbackIntake(f.tokens, f.records, 200);
        token = f.tokenOf("run-1");
    }

    @AfterEach
    void close() {
        f.close();
    }

    private Exchange post(String token, String body) {
        Exchange e = new DefaultExchange(f.context);
        e.getMessage().setHeader("token", token);
        e.getMessage().setHeader("User-Agent", "IICS");
        e.getMessage().setBody(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        intake.check(e);
        return e;
    }

    private static int status(Exchange e) {
        return e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static String error(Exchange e) throws Exception {
        return Json.MAPPER.readTree(e.getMessage().getBody(String.class)).path("error").asText();
    }

    @Test
    void aValidCallbackIsAnsweredAtOnceAndPassedOn() {
        Exchange e = post(token, VALID);
        assertThat(status(e)).isEqualTo(200);
        assertThat(e.getMessage().getHeaders()).doesNotContainKeys("token", "User-Agent");
        CallbackNotice n = e.getProperty(CallbackIntake.NOTICE, CallbackNotice.class);
        assertThat(n).isEqualTo(new CallbackNotice("run-1", CallbackTokens.hash(token), "0034J90000000M", "5", "COMPLETED"));
        assertThat(n.toString()).doesNotContain(token);
    }

    @Test
    void unknownTokensAre404() throws Exception {
        assertThat(status(post("A".repeat(43), VALID))).isEqualTo(404);
        assertThat(status(post("../../api/runs", VALID))).isEqualTo(404);
        assertThat(status(post(null, VALID))).isEqualTo(404);
        assertThat(error(post("A".repeat(43), VALID))).isEqualTo("unknown callback token");
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        Exchange e = post(token, "{\"objectId\":\"" + "x".repeat(300) + "\",\"runId\":5,\"status\":\"COMPLETED\"}");
        assertThat(status(e)).isEqualTo(413);
        assertThat(error(e)).contains("200 bytes");
        assertThat(e.getProperty(CallbackIntake.NOTICE)).isNull();
    }

    @Test
    void whatIsNotACallbackIs400WithTheReason() throws Exception {
        for (String garbage : new String[] {null, "", "not json", "[1,2]", "\"COMPLETED\""}) {
            Exchange e = post(token, garbage);
            assertThat(status(e)).as(garbage).isEqualTo(400);
            assertThat(error(e)).contains("JSON object");
        }
        Exchange missing = post(token, "{\"objectId\":\"t\",\"runId\":{\"x\":1},\"status\":\" \"}");
        assertThat(status(missing)).isEqualTo(400);
        assertThat(error(missing)).isEqualTo("the callback lacks runId, status");
        assertThat(missing.getProperty(CallbackIntake.NOTICE)).isNull();
    }

    @Test
    void theSameCallbackIsRecordedOnce() {
        Exchange first = post(token, VALID);
        Exchange again = post(token, VALID);
        Exchange failed = post(token, VALID.replace("COMPLETED", "FAILED"));
        assertThat(intake.record(first)).isTrue();
        assertThat(intake.record(again)).isFalse();
        assertThat(intake.record(failed)).isTrue();
    }
}
