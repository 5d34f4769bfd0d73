package io.jobpilot.infolink;

import io.jobpilot.run.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfoLinkOperationTest {
    @TempDir
    Path tmp;

    @Test
    void aScenarioBecomesRunScenarioWithItsParameters() throws Exception {
        assertThat(InfoLinkOperation.from(Map.of("scenario", "Main")).toString())
                .isEqualTo("{\"opName\":\"RunScenario\",\"opParams\":{\"scenario\":\"Main\",\"parameters\":{}}}");
        Path params = tmp.resolve("p.json");
        Files.writeString(params, "{\"region\":\"EMEA\"}");
        assertThat(InfoLinkOperation.from(Map.of("scenario", "Main", "parameters", params.toString())).at("/opParams/parameters/region")
                .asText()).isEqualTo("EMEA");
        assertThat(InfoLinkOperation.from(Map.of("scenario", "Main", "parameters", "{\"n\":1}")).at("/opParams/parameters/n").asInt())
                .isEqualTo(1);
    }

    @Test
    void anOperationFileNeedsAnOpNameAndTakesNoSeparateParameters() throws Exception {
        Path op = tmp.resolve("op.json");
        Files.writeString(op, "{\"opParams\":{}}");
        assertThatThrownBy(() -> InfoLinkOperation.from(Map.of("operation", op.toString()))).isInstanceOf(UsageException.class)
                .hasMessageContaining("must be a JSON object with an opName");
        Files.writeString(op, "{\"opName\":\"LoadTableFromSource\"}");
        assertThat(InfoLinkOperation.from(Map.of("operation", op.toString())).path("opName").asText()).isEqualTo("LoadTableFromSource");
        assertThatThrownBy(() -> InfoLinkOperation.from(Map.of("operation", op.toString(), "parameters", "{}")))
                .hasMessageContaining("-p parameters only goes with -p scenario");
    }

    @Test
    void parametersMustBeAnObject() {
        assertThatThrownBy(() -> InfoLinkOperation.from(Map.of("scenario", "Main", "parameters", "{\"a\":")))
                .hasMessageContaining("-p parameters is not valid JSON");
    }
}
