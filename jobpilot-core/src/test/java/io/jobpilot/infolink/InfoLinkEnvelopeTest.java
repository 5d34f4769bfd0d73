package io.jobpilot.infolink;

import io.jobpilot.run.RemoteState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class InfoLinkEnvelopeTest {
    static InfoLinkEnvelope read(String json) throws Exception {
        return InfoLinkEnvelope.read(new ByteArrayInputStream(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTheEnvelopeWhateverTheFieldOrderAndSkipsTheResults() throws Exception {
        InfoLinkEnvelope e = read("{'result':{'results':[{'result':{'records':[{'status':'x'}]},'name':'a'}],'status':'completed'},"
                + "'status':'success'}");
        assertThat(e.isSuccess()).isTrue();
        assertThat(e.jobStatus()).isEqualTo("completed");
        assertThat(e.hasResults()).isTrue();
    }

    @Test
    void readsErrorsAndJobIds() throws Exception {
        InfoLinkEnvelope error = read("{'status':'error','result':{'message':'apiKey parameter is required.'}}");
        assertThat(error.isError()).isTrue();
        assertThat(error.message()).isEqualTo("apiKey parameter is required.");
        assertThat(read("{'status':'success','result':{'jobId':'run-1'}}").jobId()).isEqualTo("run-1");
    }

    @Test
    void somethingElseIsNotAnEnvelope() throws Exception {
        assertThat(read("[1,2]").isEnvelope()).isFalse();
        assertThat(read("{'message':'hi'}").isEnvelope()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"completed,SUCCEEDED", "completedWithError,WARNING", "stopped,STOPPED", "running,RUNNING", "QUEUED,RUNNING",
            "'',RUNNING", "COMPLETED,SUCCEEDED"})
    void statusWordsMapToStates(String word, RemoteState state) {
        assertThat(InfoLinkStatus.map(word, null).state()).isEqualTo(state);
    }

    @Test
    void onlyAlreadyCompletedEndsTheStopCalls() {
        assertThat(InfoLinkStatus.stopIsFinal("already completed")).isTrue();
        assertThat(InfoLinkStatus.stopIsFinal("stop started")).isFalse();
        assertThat(InfoLinkStatus.stopIsFinal("already being stopped")).isFalse();
    }
}
