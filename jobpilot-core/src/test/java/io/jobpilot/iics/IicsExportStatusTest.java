package io.jobpilot.iics;

import io.jobpilot.run.RemoteState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class IicsExportStatusTest {

    @ParameterizedTest
    @CsvSource({
            "SUCCESSFUL, SUCCEEDED",
            "Successful, SUCCEEDED",
            "SUCCESS, SUCCEEDED",
            "IN_PROGRESS, RUNNING",
            "In Progress, RUNNING",
            "NOT_STARTED, RUNNING",
            "QUEUED, RUNNING",
            "FAILED, FAILED",
            "PARTIAL_SUCCESS, FAILED",
            "'', FAILED"})
    void mapsStatesNeverMessages(String state, RemoteState expected) {
        assertThat(IicsExportStatus.map(state, "Export completed successfully.").state()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"SUCCESSFUL, true", "successful, true", "FAILED, false", "IN PROGRESS, false"})
    void objectStates(String state, boolean successful) {
        assertThat(IicsExportStatus.isSuccessful(state)).isEqualTo(successful);
    }
}
