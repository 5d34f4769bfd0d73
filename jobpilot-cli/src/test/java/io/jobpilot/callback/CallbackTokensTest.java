package io.jobpilot.callback;

import io.jobpilot.iics.IicsJobApi;
import io.jobpilot.run.Secrets;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackTokensTest {
    @TempDir
    Path tmp;

    private CallbackFixture f;

    @BeforeEach
    void open() {
        f = new CallbackFixture(tmp);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void eachRunGetsAnUnguessableUrlWhoseTokenOnlyTheHashRecords() {
        Exchange first = f.exchangeFor("run-1", Map.of("callback", "true"));
        f.tokens.issue(first);
        String url = first.getProperty(IicsJobApi.CALLBACK_URL, String.class);
        String token = url.substring(url.lastIndexOf('/') + 1);

        assertThat(url).startsWith("https://jobpilot.example.com/callbacks/iics/");
        assertThat(token).matches("[A-Za-z0-9_-]{43}").doesNotContain("run-1");
        assertThat(f.tokenOf("run-2")).isNotEqualTo(token);
        assertThat(f.tokens.runOf(token)).contains("run-1");
        assertThat(f.tokens.runOf(token.substring(1) + "x")).isEmpty();
        assertThat(f.records.runOf(CallbackTokens.hash(token))).contains("run-1");
        assertThat(CallbackTokens.hash(token)).hasSize(64).isNotEqualTo(token);
        assertThat(Secrets.scrub("sent " + url)).isEqualTo("sent https://jobpilot.example.com/callbacks/iics/****");
    }

    @Test
    void onlyRunsThatAskForItGetOne() {
        assertThat(f.tokens.wanted(f.exchangeFor("run-1", Map.of("callback", "true")))).isTrue();
        assertThat(f.tokens.wanted(f.exchangeFor("run-2", Map.of("callback", "false")))).isFalse();
        assertThat(f.tokens.wanted(f.exchangeFor("run-3", Map.of()))).isFalse();
    }
}
