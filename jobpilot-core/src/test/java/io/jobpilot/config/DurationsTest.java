package io.jobpilot.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {
    @Test
    void parsesTheContractForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1d 12h")).isEqualTo(Duration.ofHours(36));
        assertThatThrownBy(() -> Durations.parse("1h30")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("'soon' is not a duration");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.format(Duration.ofMillis(20))).isEqualTo("20ms");
    }

    @Test
    void precedenceIsFileThenEnvironmentThenConfigFilesThenSet(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path defaults = Files.writeString(dir.resolve("application.properties"), "a=file\nb=file\nc=file\nd=file\n");
        Path extra = Files.writeString(dir.resolve("extra.properties"), "c=config\nd=config\n");
        JobpilotConfig cfg = JobpilotConfig.load(defaults, List.of(extra), Map.of("d", "set"),
                Map.of("B", "env", "C", "env", "JOBPILOT_ONLY_IN_ENV", "env"));
        assertThat(cfg.get("a")).isEqualTo("file");
        assertThat(cfg.get("b")).isEqualTo("env");
        assertThat(cfg.get("c")).isEqualTo("config");
        assertThat(cfg.get("d")).isEqualTo("set");
        assertThat(cfg.get("jobpilot.only-in-env")).isEqualTo("env");
        assertThatThrownBy(() -> cfg.require("jobpilot.missing")).hasMessageContaining("JOBPILOT_MISSING");
    }
}
