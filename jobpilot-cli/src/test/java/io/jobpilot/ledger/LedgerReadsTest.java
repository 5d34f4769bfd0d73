package io.jobpilot.ledger;

import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list of runs (`jobpilot runs`, the API's GET /runs) reads the runs' remote ids, events, steps and notifications
 * for many runs at once: each run still shows only its own, the same as when it is read alone.
 */
class LedgerReadsTest {
    @TempDir
    Path tmp;

    private Ledger ledger;

    @BeforeEach
    void open() {
        ledger = Ledger.open("jdbc:h2:file:" + tmp.resolve("ledger").toAbsolutePath(), "sa", "", 3);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void eachListedRunCarriesItsOwnRemoteIdsStepsEventsAndNotification() {
        Run notified = EndedRuns.end(ledger, tmp, "notified", "http://hooks.example/x?token=abc123");
        Run started = EndedRuns.recorded(ledger, tmp, "started", "infolink-job", Map.of("app-id", "7"), null);
        ledger.remoteId(started, "job", "j-7");
        ledger.remoteId(started, "session", "s-7");
        ledger.stepDone(started, "start-sent", "sent");
        ledger.stepDone(started, "job-id-recorded");
        ledger.state(started, "RUNNING", "polling");
        EndedRuns.recorded(ledger, tmp, "bare", "infolink-job", Map.of(), null);

        Map<String, LedgerRun> listed = byId(ledger.list(null, null, 10));

        assertThat(listed).containsOnlyKeys("notified", "started", "bare");
        LedgerRun s = listed.get("started");
        assertThat(s.result().remoteIds()).containsExactly(Map.entry("job", "j-7"), Map.entry("session", "s-7"));
        assertThat(s.steps()).containsExactly("start-sent", "job-id-recorded");
        assertThat(s.stepRecords().get("start-sent").detail()).isEqualTo("sent");
        assertThat(s.events()).extracting(LedgerRun.Event::state).containsExactly("PENDING", "RUNNING");
        assertThat(s.result().notification()).isNull();
        assertThat(s.result().origin()).isEqualTo("cli");
        assertThat(listed.get("notified").result().notification().idempotencyKey()).isEqualTo(notified.runId());
        assertThat(listed.get("notified").events()).extracting(LedgerRun.Event::state).containsExactly("PENDING", "SUCCEEDED");
        assertThat(listed.get("bare").result().remoteIds()).isEmpty();
        assertThat(listed.get("bare").steps()).isEmpty();
        for (String id : listed.keySet()) {
            assertThat(listed.get(id)).as(id + " listed as when read alone").isEqualTo(ledger.find(id).orElseThrow());
        }
    }

    @Test
    void runsPastOneBatchAreAllReadWithTheirOwnRemoteIds() {
        int n = RunReads.BATCH + 3;
        for (int i = 0; i < n; i++) {
            Run run = EndedRuns.recorded(ledger, tmp, "run-" + i, "infolink-job", Map.of(), null);
            ledger.remoteId(run, "job", "job-of-run-" + i);
        }

        List<LedgerRun> listed = ledger.list(null, null, n + 10);

        assertThat(listed).hasSize(n);
        assertThat(listed).allSatisfy(r -> assertThat(r.result().remoteIds())
                .containsExactly(Map.entry("job", "job-of-" + r.result().runId())));
    }

    private static Map<String, LedgerRun> byId(List<LedgerRun> runs) {
        return runs.stream().collect(Collectors.toMap(r -> r.result().runId(), Function.identity()));
    }
}
