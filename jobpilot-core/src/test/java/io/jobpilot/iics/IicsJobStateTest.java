package io.jobpilot.iics;

import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IicsJobStateTest {

    @Test
    void stateOneSucceedsWithoutTheNoErrorsText() {
        RemoteStatus s = IicsJobState.map(1, false, "No errors encountered.", false);
        assertThat(s.state()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(s.message()).isNull();
        assertThat(s.vendorStatus()).isEqualTo("state 1");
    }

    @Test
    void stateTwoIsAWarningOrAFailureByPolicy() {
        assertThat(IicsJobState.map(2, false, "rows rejected", false).state()).isEqualTo(RemoteState.WARNING);
        assertThat(IicsJobState.map(2, false, "rows rejected", true).state()).isEqualTo(RemoteState.FAILED);
    }

    @Test
    void stateThreeFailsWithTheMessage() {
        RemoteStatus s = IicsJobState.map(3, false, "TE_7002 Transformation Parse Fatal Error", false);
        assertThat(s.state()).isEqualTo(RemoteState.FAILED);
        assertThat(s.message()).isEqualTo("TE_7002 Transformation Parse Fatal Error");
    }

    @Test
    void aStoppedRunIsStoppedWhateverItsState() {
        assertThat(IicsJobState.map(3, true, "stopped by user", false).state()).isEqualTo(RemoteState.STOPPED);
    }

    @Test
    void unknownOrMissingStatesAreNotGuessed() {
        assertThat(IicsJobState.map(7, false, null, false).state()).isEqualTo(RemoteState.UNKNOWN);
        assertThat(IicsJobState.map(null, false, null, false).state()).isEqualTo(RemoteState.UNKNOWN);
    }

    @Test
    void vendorCodeIsTakenFromTheStartOfTheMessage() {
        assertThat(IicsJobState.vendorCode("TE_7002 Transformation Parse Fatal Error")).isEqualTo("TE_7002");
        assertThat(IicsJobState.vendorCode("There is no active Secure Agent")).isNull();
        assertThat(IicsJobState.vendorCode(null)).isNull();
    }
}
