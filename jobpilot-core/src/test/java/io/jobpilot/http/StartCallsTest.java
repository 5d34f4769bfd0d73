package io.jobpilot.http;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of a start prove it never reached the vendor's application (and so may be sent again). */
class StartCallsTest {

    @Test
    void noConnectionOrATurnAwayByAGatewayOrRateLimiterIsCertainlyNotReceived() {
        assertThat(StartCalls.certainlyNotReceived(new ConnectException("Connection refused"))).isTrue();
        assertThat(StartCalls.certainlyNotReceived(new UnknownHostException("iics.example"))).isTrue();
        assertThat(StartCalls.certainlyNotReceived(new ConnectTimeoutException("connect timed out"))).isTrue();
        for (int status : new int[] {429, 502, 503}) {
            assertThat(StartCalls.certainlyNotReceived(new TransientHttpException("start job", status, null, "busy"))).as("" + status)
                    .isTrue();
        }
    }

    @Test
    void aLostAnswerOrAGatewayTimeoutMayHaveReachedTheVendor() {
        assertThat(StartCalls.certainlyNotReceived(new SocketTimeoutException("Read timed out"))).isFalse();
        assertThat(StartCalls.certainlyNotReceived(new NoHttpResponseException("failed to respond"))).isFalse();
        assertThat(StartCalls.certainlyNotReceived(new SocketException("Connection reset"))).isFalse();
        assertThat(StartCalls.certainlyNotReceived(new TransientHttpException("start job", 504, null, "gateway timeout"))).isFalse();
        assertThat(StartCalls.certainlyNotReceived(new TransientHttpException("start job", 500, null, "error"))).isFalse();
    }

    @Test
    void theCauseChainIsRead() {
        assertThat(StartCalls.certainlyNotReceived(new RuntimeException("wrapped", new ConnectException("refused")))).isTrue();
        assertThat(StartCalls.certainlyNotReceived(new RuntimeException("wrapped", new SocketTimeoutException("read")))).isFalse();
    }
}
