package io.jobpilot.ledger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The callback tables on a real (H2) ledger: tokens by hash, and one receipt per distinct callback, across restarts. */
class CallbackRecordsTest {
    private static final String HASH = "a".repeat(64);

    @TempDir
    Path tmp;

    private Ledger ledger;
    private CallbackRecords records;

    @BeforeEach
    void open() {
        ledger = open(tmp);
        records = new CallbackRecords(ledger, Clock.systemUTC());
        EndedRuns.recorded(ledger, tmp, "run-1", "iics-job", Map.of("callback", "true"), null);
        records.token("run-1", HASH);
    }

    private static Ledger open(Path dir) {
        return Ledger.open("jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath(), "sa", "", 2);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void aTokenHashLeadsToItsRun() {
        assertThat(records.runOf(HASH)).contains("run-1");
        assertThat(records.runOf("b".repeat(64))).isEmpty();
    }

    @Test
    void eachDistinctCallbackIsRecordedOnceEvenAfterARestart() {
        assertThat(records.anyReceipt("run-1")).isFalse();
        assertThat(records.firstReceipt(HASH, "task1", "18", "COMPLETED")).isTrue();
        assertThat(records.firstReceipt(HASH, "task1", "18", "COMPLETED")).isFalse();
        assertThat(records.firstReceipt(HASH, "task1", "18", "FAILED")).as("another status is another callback").isTrue();
        assertThat(records.anyReceipt("run-1")).isTrue();

        ledger.close();
        ledger = open(tmp);
        CallbackRecords afterRestart = new CallbackRecords(ledger, Clock.systemUTC());
        assertThat(afterRestart.firstReceipt(HASH, "task1", "18", "COMPLETED")).isFalse();
        assertThat(afterRestart.anyReceipt("run-1")).isTrue();
    }
}
