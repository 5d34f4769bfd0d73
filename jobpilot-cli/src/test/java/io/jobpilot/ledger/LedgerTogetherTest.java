package io.jobpilot.ledger;

import io.jobpilot.run.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records that belong together (a start's remote id, its step, its new state) commit as one, on a real H2 ledger. */
class LedgerTogetherTest {
    @TempDir
    Path tmp;

    private Ledger ledger;
    private Run run;

    @BeforeEach
    void open() {
        ledger = Ledger.open("jdbc:h2:file:" + tmp.resolve("ledger").toAbsolutePath(), "sa", "", 3);
        run = EndedRuns.recorded(ledger, tmp, "run-1", "infolink-job", Map.of("app-id", "7"), null);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    /** What another connection (another thread: a reader, another process) sees now. */
    private String stateSeenElsewhere() {
        return CompletableFuture.supplyAsync(() -> ledger.find("run-1").orElseThrow().result().state()).join();
    }

    private Map<String, String> remoteIdsSeenElsewhere() {
        return CompletableFuture.supplyAsync(() -> ledger.find("run-1").orElseThrow().result().remoteIds()).join();
    }

    @Test
    void othersSeeTheWritesOfABlockOnlyWhenAllOfThemAreCommitted() {
        ledger.together(() -> {
            ledger.remoteId(run, "job", "run-1");
            ledger.stepDone(run, "executed");
            ledger.state(run, "RUNNING", "job run-1 started");
            assertThat(stateSeenElsewhere()).isEqualTo("PENDING");
            assertThat(remoteIdsSeenElsewhere()).isEmpty();
        });
        assertThat(stateSeenElsewhere()).isEqualTo("RUNNING");
        assertThat(remoteIdsSeenElsewhere()).containsEntry("job", "run-1");
        assertThat(ledger.find("run-1").orElseThrow().steps()).contains("executed");
    }

    @Test
    void aFailureInsideTheBlockLeavesNoneOfItsWrites() {
        assertThatThrownBy(() -> ledger.together(() -> {
            ledger.remoteId(run, "job", "run-1");
            ledger.state(run, "RUNNING", "started");
            throw new IllegalStateException("the answer could not be saved");
        })).hasMessage("the answer could not be saved");
        assertThat(stateSeenElsewhere()).isEqualTo("PENDING");
        assertThat(remoteIdsSeenElsewhere()).isEmpty();
        ledger.state(run, "RUNNING", "after the failure, the connection commits on its own again");
        assertThat(stateSeenElsewhere()).isEqualTo("RUNNING");
    }

    @Test
    void aNestedBlockCommitsWithTheOuterOne() {
        ledger.together(() -> {
            ledger.together(() -> ledger.remoteId(run, "job", "run-1"));
            assertThat(remoteIdsSeenElsewhere()).isEmpty();
            ledger.state(run, "RUNNING", "started");
        });
        assertThat(remoteIdsSeenElsewhere()).containsEntry("job", "run-1");
    }
}
