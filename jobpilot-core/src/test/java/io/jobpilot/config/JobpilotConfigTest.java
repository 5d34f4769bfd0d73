package io.jobpilot.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobpilotConfigTest {
    @Test
    void aSettingLeftEmptyMeansItsDefault() {
        JobpilotConfig config = JobpilotConfig.of(Map.of("jobpilot.serve.lease", ""));
        assertThat(config.duration("jobpilot.serve.lease")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aSettingWithoutDefaultLeftEmptyIsAClearError() {
        JobpilotConfig config = JobpilotConfig.of(Map.of());
        assertThat(config.get("jobpilot.callback.public-url")).isNull();
        assertThatThrownBy(() -> config.require("jobpilot.callback.public-url")).hasMessageStartingWith("property jobpilot.callback.public-url is not set");
    }

    @Test
    void aWrongValueNamesTheSetting() {
        JobpilotConfig config = JobpilotConfig.of(Map.of("jobpilot.poll.threads", "many", "jobpilot.notify.continue", "yes"));
        assertThatThrownBy(() -> config.integer("jobpilot.poll.threads")).hasMessage("property jobpilot.poll.threads: 'many' is not a whole number");
        assertThatThrownBy(() -> config.bool("jobpilot.notify.continue")).hasMessage("property jobpilot.notify.continue: 'yes' is neither true nor false");
    }
}
