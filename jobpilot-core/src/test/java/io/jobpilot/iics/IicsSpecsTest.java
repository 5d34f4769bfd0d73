package io.jobpilot.iics;

import io.jobpilot.run.UsageException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IicsSpecsTest {
    private final IicsJobSpec job = new IicsJobSpec(false);
    private final IicsExportSpec export = new IicsExportSpec();

    @Test
    void jobNeedsExactlyOneIdentityAndAKnownType() {
        assertThatCode(() -> job.validate(Map.of("task-federated-id", "f1", "task-type", "workflow", "warning", "fail"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> job.validate(Map.of("task-type", "MTT"))).isInstanceOf(UsageException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> job.validate(Map.of("task-id", "a", "task-name", "b", "task-type", "MTT"))).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> job.validate(Map.of("task-id", "a"))).hasMessageContaining("task-type is required");
        assertThatThrownBy(() -> job.validate(Map.of("task-id", "a", "task-type", "SQL"))).hasMessageContaining("DMASK, DRS, DSS, MTT, PCS, WORKFLOW");
        assertThatThrownBy(() -> job.validate(Map.of("task-id", "a", "task-type", "MTT", "warning", "ignore"))).hasMessageContaining("succeed, fail");
    }

    @Test
    void callbacksNeedThePublicUrl() {
        Map<String, String> withCallback = Map.of("task-id", "a", "task-type", "MTT", "callback", "true");
        assertThatCode(() -> job.validate(Map.of("task-id", "a", "task-type", "MTT", "callback", "false"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> job.validate(withCallback)).isInstanceOf(UsageException.class)
                .hasMessageContaining("needs jobpilot.callback.public-url");
        assertThatThrownBy(() -> job.validate(Map.of("task-id", "a", "task-type", "MTT", "callback", "yes"))).hasMessageContaining("true, false");
        IicsJobSpec configured = new IicsJobSpec(true);
        assertThatCode(() -> configured.validate(withCallback)).doesNotThrowAnyException();
        assertThat(configured.receivesCallbacks(withCallback)).isTrue();
        assertThat(configured.receivesCallbacks(Map.of("task-id", "a", "task-type", "MTT"))).isFalse();
    }

    @Test
    void exportNeedsObjectsOrAnExportId() {
        assertThatCode(() -> export.validate(Map.of("objects", "a1, b2", "include-dependencies", "false", "name", "n"))).doesNotThrowAnyException();
        assertThatCode(() -> export.validate(Map.of("export-id", "7evG9CokA1whk8ehF3opKM", "package", "false"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> export.validate(Map.of())).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> export.validate(Map.of("objects", " , "))).hasMessageContaining("empty");
        assertThatThrownBy(() -> export.validate(Map.of("export-id", "x", "include-dependencies", "true"))).hasMessageContaining("only applies");
        String tooMany = IntStream.range(0, 1001).mapToObj(i -> "id" + i).collect(Collectors.joining(","));
        assertThatThrownBy(() -> export.validate(Map.of("objects", tooMany))).hasMessageContaining("at most 1000");
    }
}
