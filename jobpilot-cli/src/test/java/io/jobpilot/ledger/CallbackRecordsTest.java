package io.jobpilot.ledger;

import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunOrigin;
import io.jobpilot.run.RunOwner;
import io.jobpilot.run.RunRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
        assertThat(records.receipts("run-1")).isZero();
        assertThat(records.firstReceipt(HASH, "task1", "18", "COMPLETED")).isTrue();
        assertThat(records.firstReceipt(HASH, "task1", "18", "COMPLETED")).isFalse();
        assertThat(records.firstReceipt(HASH, "task1", "18", "FAILED")).as("another status is another callback").isTrue();
        assertThat(records.receipts("run-1")).isEqualTo(2);

        ledger.close();
        ledger = open(tmp);
        CallbackRecords afterRestart = new CallbackRecords(ledger, Clock.systemUTC());
        assertThat(afterRestart.firstReceipt(HASH, "task1", "18", "COMPLETED")).isFalse();
        assertThat(afterRestart.receipts("run-1")).isEqualTo(2);
    }

    @Test
    void oneQueryCountsTheReceiptsOfTheUnfinishedRunsOneProcessHolds() {
        RunOwner me = RunOwner.self("node-a");
        RunOwner other = RunOwner.self("node-b");
        held(me, "mine-called", "c".repeat(64));
        held(me, "mine-waiting", "d".repeat(64));
        held(other, "theirs", "e".repeat(64));
        Run ended = held(me, "mine-ended", "f".repeat(64));
        records.firstReceipt("f".repeat(64), "task", "1", "COMPLETED");
        ended.end(Outcome.SUCCEEDED, null);
        ledger.finish(ended);
        records.firstReceipt("c".repeat(64), "task", "1", "FAILED");
        records.firstReceipt("c".repeat(64), "task", "1", "COMPLETED");
        records.firstReceipt("e".repeat(64), "task", "1", "COMPLETED");
        records.firstReceipt(HASH, "task", "1", "COMPLETED");   // run-1: held by nobody

        assertThat(records.receiptsOfRunsHeldBy(me.token())).as("only my unfinished runs with receipts")
                .isEqualTo(Map.of("mine-called", 2));
    }

    /** A run held by {@code owner}, with a callback token. */
    private Run held(RunOwner owner, String runId, String tokenHash) {
        Run run = new Run(new RunRequest("iics-job", Map.of("callback", "true"), runId, tmp, null, OnTimeout.FAIL, false, null),
                runId, tmp.resolve(runId), Instant.now(), Duration.ofHours(1), false);
        run.origin(RunOrigin.api(owner, Instant.now().plusSeconds(60)));
        ledger.insert(run);
        records.token(runId, tokenHash);
        return run;
    }
}
