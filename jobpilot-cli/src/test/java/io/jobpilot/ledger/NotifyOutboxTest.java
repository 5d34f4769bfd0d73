package io.jobpilot.ledger;

import io.jobpilot.notify.Delivery;
import io.jobpilot.run.Notification;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Run;
import io.jobpilot.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox on a real (H2) ledger: queued with the run's end, claimed by one process at a time, settled once. */
class NotifyOutboxTest {
    private static final Duration LEASE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Ledger ledger;
    /** A second ahead of the ledger's own clock, which stamps the rows the run's end queues: those are due. */
    private final MutableClock clock = new MutableClock(Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS));
    private NotifyOutbox thisProcess;
    private NotifyOutbox otherProcess;

    @BeforeEach
    void openLedger() {
        ledger = Ledger.open("jdbc:h2:file:" + tmp.resolve("ledger").toAbsolutePath(), "sa", "", 2);
        thisProcess = new NotifyOutbox(ledger, clock, LEASE, 100);
        otherProcess = new NotifyOutbox(ledger, clock, LEASE, 100);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private Run endedRun(String runId, String notifyUrl) {
        return EndedRuns.end(ledger, tmp, runId, notifyUrl);
    }

    private Notification status(String runId) {
        return ledger.notification(runId).orElseThrow();
    }

    @Test
    void theRunsEndQueuesItsNotificationWithTheRunResultAsBody() {
        endedRun("r1", "http://hooks.example/x?token=abc123");

        Delivery d = thisProcess.claimNew("r1");

        assertThat(d.id()).isEqualTo("r1");
        assertThat(d.url()).isEqualTo("http://hooks.example/x?token=abc123");
        assertThat(d.body()).contains("\"runId\":\"r1\"").contains("\"outcome\":\"SUCCEEDED\"").doesNotContain("notification");
        assertThat(d.attempts()).isZero();
        Notification n = status("r1");
        assertThat(n.state()).isEqualTo("PENDING");
        assertThat(n.url()).as("shown masked").doesNotContain("abc123");
        assertThat(ledger.find("r1").orElseThrow().result().notification()).isEqualTo(n);
    }

    @Test
    void aRunWithoutANotifyUrlQueuesNothing() {
        endedRun("quiet", null);

        assertThat(thisProcess.claimNew("quiet")).isNull();
        assertThat(ledger.notification("quiet")).isEmpty();
    }

    @Test
    void oneProcessAtATimeHoldsADelivery() {
        endedRun("r2", "http://hooks.example/x");

        assertThat(thisProcess.claimNew("r2")).isNotNull();
        assertThat(otherProcess.claimNew("r2")).isNull();
        assertThat(otherProcess.claimDue()).isEmpty();
        assertThat(thisProcess.claimDue()).as("not twice by the same process either").isEmpty();
    }

    @Test
    void aReleasedDeliveryIsContinuedByAnotherProcessWhenDueWithItsAttemptsAndClock() {
        endedRun("r3", "http://hooks.example/x");
        Delivery d = thisProcess.claimNew("r3");
        Instant first = clock.instant();
        thisProcess.attempting(d);
        thisProcess.failed(d, "HTTP 503", first.plusSeconds(30));
        thisProcess.release(d);

        assertThat(otherProcess.claimDue()).as("not due yet").isEmpty();
        clock.advance(Duration.ofSeconds(30));
        Delivery continued = otherProcess.claimDue().get(0);

        assertThat(continued.attempts()).isEqualTo(1);
        assertThat(continued.firstAttemptAt()).isEqualTo(first);
        assertThat(status("r3").lastError()).isEqualTo("HTTP 503");
    }

    @Test
    void theDeliveriesOfAProcessThatDiedAreFreeOnceItsLeaseHasRunOut() {
        endedRun("r4", "http://hooks.example/x");
        Delivery d = thisProcess.claimNew("r4");
        thisProcess.attempting(d);
        thisProcess.failed(d, "timeout", clock.instant().plusSeconds(30));
        // this process dies here: no release

        clock.advance(Duration.ofSeconds(30));
        assertThat(otherProcess.claimDue()).as("still within the lease").isEmpty();
        clock.advance(LEASE.plusMillis(1));
        assertThat(otherProcess.claimDue()).extracting(Delivery::id).containsExactly("r4");
    }

    @Test
    void deliveredAndDeadDeliveriesAreNeverClaimedAgain() {
        endedRun("ok", "http://hooks.example/x");
        endedRun("gone", "http://hooks.example/x");
        thisProcess.delivered(thisProcess.claimNew("ok"));
        thisProcess.dead(thisProcess.claimNew("gone"));
        thisProcess.releaseAll();
        clock.advance(Duration.ofHours(1));

        assertThat(otherProcess.claimDue()).isEmpty();
        assertThat(status("ok").state()).isEqualTo("DELIVERED");
        assertThat(status("gone").state()).isEqualTo("DEAD");
        assertThat(status("gone").finishedAt()).isNotNull();
    }

    @Test
    void stoppingReleasesEveryDeliveryThisProcessHolds() {
        endedRun("r5", "http://hooks.example/x");
        thisProcess.claimNew("r5");

        thisProcess.releaseAll();

        assertThat(otherProcess.claimDue()).extracting(Delivery::id).containsExactly("r5");
    }

    @Test
    void aRunThatEndsAgainAfterAResumeGetsASecondDelivery() {
        Run run = endedRun("r6", "http://hooks.example/x");
        run.end(Outcome.FAILED, null);
        ledger.finish(run);

        assertThat(status("r6").idempotencyKey()).isEqualTo("r6/2");
        assertThat(otherProcess.claimDue()).extracting(Delivery::id).containsExactlyInAnyOrder("r6", "r6/2");
    }
}
