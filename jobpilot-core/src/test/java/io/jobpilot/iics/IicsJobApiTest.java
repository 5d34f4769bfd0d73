package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunRequest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IicsJobApiTest {

    private static Run runOf(String taskId, String runId) {
        Run run = new Run(RunRequest.of("iics-job", Map.of()), "r1", Path.of("runs/r1"), Instant.now(), Duration.ofMinutes(1), false);
        run.remoteId(IicsJobApi.TASK_ID, taskId);
        run.remoteId(IicsJobApi.RUN_ID, runId);
        return run;
    }

    @Test
    void findsTheRunByTaskAndRunIdNeverByRunIdAlone() throws Exception {
        JsonNode monitor = Json.MAPPER.readTree("[{\"taskId\":\"OTHER\",\"runId\":18,\"executionState\":\"RUNNING\"},"
                + "{\"taskId\":\"MINE\",\"runId\":17},{\"taskId\":\"MINE\",\"runId\":18,\"executionState\":\"STOPPING\"}]");

        assertThat(IicsJobApi.find(monitor, runOf("MINE", "18"), IicsJobApi.TASK_ID).path("executionState").asText()).isEqualTo("STOPPING");
        assertThat(IicsJobApi.find(monitor, runOf("NONE", "18"), IicsJobApi.TASK_ID)).isNull();
    }

    @Test
    void activityLogEntriesNameTheTaskAsObjectId() throws Exception {
        JsonNode log = Json.MAPPER.readTree("[{\"objectId\":\"OTHER\",\"runId\":18,\"state\":3},{\"objectId\":\"MINE\",\"runId\":18,\"state\":1}]");

        assertThat(IicsJobApi.find(log, runOf("MINE", "18"), "objectId").path("state").asInt()).isEqualTo(1);
    }
}
