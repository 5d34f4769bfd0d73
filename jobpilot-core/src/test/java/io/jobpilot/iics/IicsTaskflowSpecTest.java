package io.jobpilot.iics;

import io.jobpilot.run.Json;
import io.jobpilot.run.UsageException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IicsTaskflowSpecTest {
    private final IicsTaskflowSpec spec = new IicsTaskflowSpec();

    @Test
    void inputFieldsOverrideTheParametersDocument() throws Exception {
        assertThat(IicsTaskflowSpec.inputs(Map.of("taskflow", "tf", "parameters", "{\"region\":\"EMEA\",\"limit\":5}",
                "input.region", "APAC", "input.day", "2026-12-01")))
                .isEqualTo(Json.MAPPER.readTree("{\"region\":\"APAC\",\"limit\":5,\"day\":\"2026-12-01\"}"));
        assertThat(IicsTaskflowSpec.inputs(Map.of("taskflow", "tf"))).isEmpty();
    }

    @Test
    void inputNamesAreTheTaskflowsOwnButMustBeGiven() {
        spec.rejectUnknown(Map.of("taskflow", "tf", "input.Customer Name", "x", "suspended", "wait"));
        assertThatThrownBy(() -> spec.rejectUnknown(Map.of("taskflow", "tf", "input.", "x")))
                .isInstanceOf(UsageException.class).hasMessageContaining("-p input.NAME=VALUE");
        assertThatThrownBy(() -> spec.rejectUnknown(Map.of("taskflow", "tf", "inputs.a", "x")))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown parameter -p inputs.a");
    }

    @Test
    void theParametersMustBeAJsonObject() {
        assertThatThrownBy(() -> spec.validate(Map.of("taskflow", "tf", "parameters", "{\"a\":")))
                .isInstanceOf(UsageException.class).hasMessageContaining("-p parameters is not valid JSON");
        assertThatThrownBy(() -> spec.validate(Map.of("taskflow", "tf", "parameters", "no-such-file.json")))
                .isInstanceOf(UsageException.class).hasMessageContaining("no such file");
    }
}
