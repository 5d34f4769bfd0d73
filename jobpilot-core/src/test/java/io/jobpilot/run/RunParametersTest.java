package io.jobpilot.run;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunParametersTest {
    @Test
    void numbersAndBooleansAreTakenAsTheirText() {
        assertThat(RunParameters.fromMap(Map.of("app-id", 7, "wait", true, "path", "a/b")))
                .containsEntry("app-id", "7").containsEntry("wait", "true").containsEntry("path", "a/b");
    }

    @Test
    void aNestedValueIsRefusedWithItsName() {
        assertThatThrownBy(() -> RunParameters.fromMap(Map.of("items", List.of(1, 2))))
                .isInstanceOf(UsageException.class).hasMessage("parameter items must be text, a number or a boolean, not a list");
    }

    @Test
    void aMissingValueIsRefusedWithItsName() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("task-id", null);
        assertThatThrownBy(() -> RunParameters.fromMap(params)).isInstanceOf(UsageException.class).hasMessage("parameter task-id has no value");
    }
}
