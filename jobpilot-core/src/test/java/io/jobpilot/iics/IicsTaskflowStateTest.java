package io.jobpilot.iics;

import io.jobpilot.run.RemoteState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IicsTaskflowStateTest {
    @Test
    void theWordsRealClientsHandle() {
        assertThat(IicsTaskflowState.map("RUNNING", null, false).state()).isEqualTo(RemoteState.RUNNING);
        assertThat(IicsTaskflowState.map("SUCCESS", null, false).state()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(IicsTaskflowState.map("Success", null, false).vendorStatus()).as("the docs' query values are capitalised").isEqualTo("SUCCESS");
        assertThat(IicsTaskflowState.map("FAILED", " step failed ", false).message()).isEqualTo("step failed");
        assertThat(IicsTaskflowState.map("STOPPED", null, false).state()).isEqualTo(RemoteState.STOPPED);
    }

    @Test
    void aRunJustStartedMayHaveNoStatusYet() {
        assertThat(IicsTaskflowState.map(null, null, false).state()).isEqualTo(RemoteState.RUNNING);
        assertThat(IicsTaskflowState.map("", null, false).vendorStatus()).isEqualTo("(no status yet)");
    }

    @Test
    void suspendedFailsUnlessTheRunWaitsForAResume() {
        assertThat(IicsTaskflowState.map("SUSPENDED", "fault", false).state()).isEqualTo(RemoteState.FAILED);
        assertThat(IicsTaskflowState.map("SUSPENDED", "fault", true).state()).isEqualTo(RemoteState.RUNNING);
        assertThat(IicsTaskflowState.map("SUSPENDED", "fault", true).vendorStatus()).isEqualTo("SUSPENDED");
    }

    @Test
    void anyOtherWordIsUnknownRatherThanGuessed() {
        assertThat(IicsTaskflowState.map("WARNING", null, false).state()).isEqualTo(RemoteState.UNKNOWN);
        assertThat(IicsTaskflowState.map("RESTARTED", null, false).state()).isEqualTo(RemoteState.UNKNOWN);
    }
}
