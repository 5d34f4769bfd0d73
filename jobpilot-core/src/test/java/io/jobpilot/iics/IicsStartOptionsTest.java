package io.jobpilot.iics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Json;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunRequest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IicsStartOptionsTest {

    private static ObjectNode body(String placement, Map<String, String> params) {
        Run run = new Run(RunRequest.of("iics-job", params), "r1", Path.of("runs/r1"), Instant.now(), Duration.ofMinutes(1), false);
        ObjectNode job = Json.MAPPER.createObjectNode().put("@type", "job").put("taskId", "T").put("taskType", "MTT");
        IicsStartOptions.of(placement).addTo(job, run);
        return job;
    }

    @Test
    void theParameterFileGoesBesideTheTaskByDefaultAsTheDocsListIt() {
        ObjectNode job = body("top-level", Map.of("parameter-file-name", "p.txt", "parameter-file-dir", "/home/agent/params"));

        assertThat(Json.write(job)).isEqualTo("{\"@type\":\"job\",\"taskId\":\"T\",\"taskType\":\"MTT\",\"parameterFileName\":\"p.txt\","
                + "\"parameterFileDir\":\"/home/agent/params\"}");
    }

    @Test
    void orInsideTheRuntimeObjectAsOnePublicClientSendsIt() {
        ObjectNode job = body("Runtime", Map.of("parameter-file-name", "p.txt"));

        assertThat(job.path("runtime").path("@type").asText()).isEqualTo("mtTaskRuntime");
        assertThat(job.path("runtime").path("parameterFileName").asText()).isEqualTo("p.txt");
        assertThat(job.has("parameterFileName")).isFalse();
        assertThat(job.path("runtime").has("parameterFileDir")).isFalse();
    }

    @Test
    void withoutAParameterFileTheBodyIsUnchangedAndAnUnknownPlacementIsAConfigurationError() {
        assertThat(body("runtime", Map.of()).has("runtime")).isFalse();
        assertThatThrownBy(() -> IicsStartOptions.of("nested")).isInstanceOf(JobpilotConfig.ConfigException.class)
                .hasMessageContaining("jobpilot.iics.parameter-file-placement");
    }
}
