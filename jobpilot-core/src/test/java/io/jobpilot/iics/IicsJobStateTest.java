package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

class IicsJobStateTest {

    private static JsonNode entry(String json) {
        try {
            return Json.MAPPER.readTree(json.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RemoteStatus map(String json) {
        return IicsJobState.map(entry(json), false);
    }

    @Test
    void stateOneSucceedsWithoutTheNoErrorsText() {
        RemoteStatus s = map("{'state':1,'entries':[{'errorMsg':'No errors encountered.'}]}");
        assertThat(s.state()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(s.message()).isNull();
        assertThat(s.vendorStatus()).isEqualTo("state 1");
    }

    @Test
    void stateTwoIsAWarningOrAFailureByPolicyWithTheMessageOfItsFirstEntry() {
        String real = "{'state':2,'entries':[{'errorMsg':'WRT_8229 Database errors occurred: ORA-00001'}]}";
        RemoteStatus warning = map(real);
        assertThat(warning.state()).isEqualTo(RemoteState.WARNING);
        assertThat(warning.message()).isEqualTo("WRT_8229 Database errors occurred: ORA-00001");
        assertThat(IicsJobState.map(entry(real), true).state()).isEqualTo(RemoteState.FAILED);
    }

    @Test
    void stateThreeFailsWithTheMessage() {
        RemoteStatus s = map("{'state':3,'errorMsg':'TE_7002 Transformation Parse Fatal Error','entries':[]}");
        assertThat(s.state()).isEqualTo(RemoteState.FAILED);
        assertThat(s.message()).isEqualTo("TE_7002 Transformation Parse Fatal Error");
    }

    @Test
    void stateThreeStoppedByAUserThroughTheApiOrTheUiIsStopped() {
        assertThat(map("{'state':3,'errorMsg':'The job was stopped by user prashanth-p using the API.'}").state())
                .isEqualTo(RemoteState.STOPPED);
        RemoteStatus ui = map("{'state':3,'errorMsg':'The job was stopped by user ops using the UI.'}");
        assertThat(ui.state()).isEqualTo(RemoteState.STOPPED);
        assertThat(ui.message()).contains("using the UI");
        assertThat(map("{'state':3,'isStopped':true}").state()).as("isStopped, where a pod sends it").isEqualTo(RemoteState.STOPPED);
        assertThat(map("{'state':1,'errorMsg':'The job was stopped by user ops using the UI.'}").state())
                .as("only a failed run is a stopped one").isEqualTo(RemoteState.SUCCEEDED);
    }

    @Test
    void stateFourIsQueuedAndStillWaiting() {
        RemoteStatus s = map("{'state':4}");
        assertThat(s.state()).isEqualTo(RemoteState.RUNNING);
        assertThat(s.vendorStatus()).isEqualTo("state 4 (queued)");
    }

    @Test
    void unknownOrMissingStatesAreNotGuessed() {
        assertThat(map("{'state':7}").state()).isEqualTo(RemoteState.UNKNOWN);
        assertThat(map("{}").state()).isEqualTo(RemoteState.UNKNOWN);
    }

    @Test
    void vendorCodeIsTakenFromTheStartOfTheMessage() {
        assertThat(IicsJobState.vendorCode("TE_7002 Transformation Parse Fatal Error")).isEqualTo("TE_7002");
        assertThat(IicsJobState.vendorCode("WRT_8229 Database errors occurred")).isEqualTo("WRT_8229");
        assertThat(IicsJobState.vendorCode("There is no active Secure Agent")).isNull();
        assertThat(IicsJobState.vendorCode(null)).isNull();
    }
}
