package io.jobpilot.ledger;

import io.jobpilot.config.JobpilotConfig.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A ledger opened on a thread of its own while a command starts: the same ledger, the same failures, told once asked. */
class LedgerOpenAsideTest {
    @TempDir
    Path dir;

    @Test
    void aLedgerOpenedAsideRecordsAndReadsAsOneOpenedAtOnce() {
        String url = "jdbc:h2:file:" + dir.resolve("ledger");
        Instant fired = Instant.parse("2026-12-02T10:00:00Z");
        try (Ledger aside = Ledger.openAside(settings(url), 2)) {
            aside.awaitOpen();
            assertThat(aside.recordFire("nightly", fired, "STARTED", "run-1", null)).isTrue();
        }
        try (Ledger again = Ledger.open(url, "sa", "", 2)) {
            assertThat(again.fires("nightly")).singleElement().satisfies(f -> assertThat(f.runId()).isEqualTo("run-1"));
        }
    }

    @Test
    void anOpenThatFailedIsToldAsItselfAtTheWaitAndAtEveryUseAndLeavesNothingToClose() {
        Ledger aside = Ledger.openAside(settings("jdbc:sqlite:" + dir.resolve("ledger.db")), 2);

        assertThatThrownBy(aside::awaitOpen).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must start with jdbc:h2: or jdbc:postgresql:").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> aside.fires("nightly")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must start with jdbc:h2: or jdbc:postgresql:");
        assertThat(aside.isReachable()).isFalse();
        aside.close();
    }

    private static LedgerSettings settings(String url) {
        return LedgerSettings.of(url, "sa", "", "127.0.0.1");
    }
}
