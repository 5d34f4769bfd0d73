package io.jobpilot.run;

import io.jobpilot.ledger.Ledger;
import io.jobpilot.ledger.RunOwnership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Who follows a run, on a real (H2) ledger: one owner at a time, taken over only once the owner is gone. */
class RunLeasesTest {
    private static final Duration LONG = Duration.ofHours(1);

    @TempDir
    Path tmp;

    private Ledger ledger;
    private RunOwnership ownership;

    @BeforeEach
    void openLedger() throws Exception {
        ledger = Ledger.open(ledgerUrl(), "sa", "", 2);
        ownership = new RunOwnership(ledger);
    }

    /** An H2 file here; {@link PostgresRunLeasesTest} runs the same on PostgreSQL. */
    protected String ledgerUrl() throws Exception {
        return "jdbc:h2:file:" + tmp.resolve("ledger").toAbsolutePath();
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    /** A process's leases; renewals only when the test calls renew() (the scheduled renewer waits an hour). */
    private RunLeases leasesOf(RunOwner owner, Duration lease) {
        return new RunLeases(ownership, owner, lease, LONG, new Progress(Progress.Mode.OFF, new PrintWriter(new StringWriter())));
    }

    /** A run recorded by {@code owner}'s INSERT (as `jobpilot run` records a new one), with this lease. */
    private Run insertedBy(RunOwner owner, String runId, Instant leaseUntil) {
        Run run = newRun(runId);
        run.origin(RunOrigin.cli(owner, leaseUntil));
        ledger.insert(run);
        return run;
    }

    private Run newRun(String runId) {
        return new Run(new RunRequest("iics-job", Map.of("task-id", "t"), runId, tmp, null, OnTimeout.FAIL, false, null), runId,
                tmp.resolve(runId), Instant.now(), LONG, false);
    }

    private RunHolder holder(String runId) {
        return ownership.holder(runId).orElseThrow();
    }

    /** A process of this host that has exited: its pid names nobody (for now). */
    private static long exitedPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.pid();
    }

    @Test
    void aSecondProcessIsToldWhoFollowsTheRunWhileItsOwnerLives() {
        RunOwner owner = RunOwner.self(null);              // this JVM: alive
        insertedBy(owner, "r1", Instant.now().plus(LONG));

        assertThatThrownBy(() -> leasesOf(RunOwner.self(null), LONG).take(newRun("r1")))
                .isInstanceOf(RunOwnedElsewhere.class)
                .hasMessageMatching("run r1 is being followed by process " + ProcessHandle.current().pid() + " on host "
                        + java.util.regex.Pattern.quote(owner.host()) + " since \\d\\d:\\d\\d:\\d\\dZ; wait for it, or stop it with jobpilot stop r1");
        assertThat(holder("r1").isOwnedBy(owner)).isTrue();
    }

    @Test
    void anOwnerWhoseProcessIsGoneFromThisHostIsTakenOverAtOnce() throws Exception {
        RunOwner me = RunOwner.self(null);
        long pid = exitedPid();
        RunOwner dead = new RunOwner(me.host() + "/" + pid + "/deadbeef", null, me.host(), pid, Instant.now().minusSeconds(5));
        insertedBy(dead, "r2", Instant.now().plus(LONG));

        leasesOf(me, LONG).take(newRun("r2"));

        assertThat(holder("r2").isOwnedBy(me)).isTrue();
        assertThat(holder("r2").owner().pid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void aPidNowUsedByALaterProcessIsNotMistakenForTheOwner() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            RunOwner me = RunOwner.self(null);
            Instant sleeperStarted = sleeper.info().startInstant().orElseThrow();
            RunOwner live = new RunOwner("h/" + sleeper.pid() + "/a", null, me.host(), sleeper.pid(), sleeperStarted);
            RunOwner reused = new RunOwner("h/" + sleeper.pid() + "/b", null, me.host(), sleeper.pid(), sleeperStarted.minus(Duration.ofHours(2)));
            insertedBy(live, "alive", Instant.now().plus(LONG));
            insertedBy(reused, "reused", Instant.now().plus(LONG));

            assertThatThrownBy(() -> leasesOf(me, LONG).take(newRun("alive"))).isInstanceOf(RunOwnedElsewhere.class);
            leasesOf(me, LONG).take(newRun("reused"));
            assertThat(holder("reused").isOwnedBy(me)).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void anOwnerInAnotherPidNamespaceIsNotJudgedByThisHostsPids() throws Exception {
        RunOwner me = RunOwner.self(null);
        assumeTrue(me.pidNamespace() != null, "this system does not tell pid namespaces");
        long pid = exitedPid();
        RunOwner otherContainer = new RunOwner(me.host() + "/" + pid + "/c0ffee", null, me.host(), pid, Instant.now().minusSeconds(5),
                "pid:[1]");
        insertedBy(otherContainer, "r7", Instant.now().plus(LONG));

        assertThatThrownBy(() -> leasesOf(me, LONG).take(newRun("r7"))).isInstanceOf(RunOwnedElsewhere.class);
    }

    @Test
    void anOwnerOnAnotherHostIsPresumedGoneOnlyOnceItsLeaseLapsed() {
        RunOwner elsewhere = new RunOwner("other-host/42/cafe", null, "other-host", 42, Instant.now());
        insertedBy(elsewhere, "held", Instant.now().plus(LONG));
        insertedBy(elsewhere, "lapsed", Instant.now().minusSeconds(1));
        RunOwner me = RunOwner.self(null);

        assertThatThrownBy(() -> leasesOf(me, LONG).take(newRun("held"))).isInstanceOf(RunOwnedElsewhere.class)
                .hasMessageContaining("process 42 on host other-host");
        leasesOf(me, LONG).take(newRun("lapsed"));
        assertThat(holder("lapsed").isOwnedBy(me)).isTrue();
    }

    @Test
    void aRunLeftUnendedByItsLiveProcessIsFreeForTheNextAtOnce() {
        RunOwner owner = RunOwner.self(null);
        RunLeases ownerLeases = leasesOf(owner, LONG);
        Run run = insertedBy(owner, "abandoned", Instant.now().plus(LONG));
        ownerLeases.follow(run);
        ownerLeases.renew();
        assertThat(holder("abandoned").isFree(Instant.now())).as("held while followed").isFalse();

        ownerLeases.abandon(run);
        ownerLeases.renew();      // the owner's own lease goes on (it follows other runs), and holds this one no more

        assertThat(holder("abandoned").isFree(Instant.now())).isTrue();
        assertThat(ownerLeases.fence(run)).as("no longer followed").isNull();
        RunOwner next = RunOwner.self(null);
        leasesOf(next, LONG).take(newRun("abandoned"));
        assertThat(holder("abandoned").isOwnedBy(next)).isTrue();
        ownerLeases.close();
    }

    @Test
    void aReleaseTheLedgerRefusedIsMadeAgainAtTheNextRenewal() throws Exception {
        RunOwner owner = RunOwner.self(null);
        RunLeases ownerLeases = leasesOf(owner, LONG);
        Run run = insertedBy(owner, "refused", Instant.now().plus(LONG));
        ownerLeases.follow(run);
        try (var c = ledger.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("ALTER TABLE jp_run ADD CONSTRAINT keeps_lease CHECK (run_id <> 'refused' OR lease_until IS NOT NULL)");
            ownerLeases.abandon(run);
            assertThat(holder("refused").isFree(Instant.now())).as("the ledger refused the release").isFalse();
            st.execute("ALTER TABLE jp_run DROP CONSTRAINT keeps_lease");
        }

        ownerLeases.renew();

        assertThat(holder("refused").isFree(Instant.now())).isTrue();
        ownerLeases.close();
    }

    @Test
    void ofTwoProcessesTakingOneRunExactlyOneWins() {
        insertedBy(new RunOwner("other-host/42/cafe", null, "other-host", 42, Instant.now()), "r3", Instant.now().minusSeconds(1));
        RunHolder seen = holder("r3");
        RunOwner first = RunOwner.self(null);
        RunOwner second = RunOwner.self(null);

        assertThat(ownership.take(seen, first, Instant.now().plus(LONG), true)).isTrue();
        assertThat(ownership.take(seen, second, Instant.now().plus(LONG), true)).isFalse();
        assertThat(holder("r3").isOwnedBy(first)).isTrue();
    }

    @Test
    void aProcessThatLostItsRunNeitherRenewsNorEndsIt() {
        RunOwner slow = RunOwner.self(null);
        RunLeases slowLeases = leasesOf(slow, Duration.ofMillis(300));
        Run followed = insertedBy(slow, "r4", slowLeases.leaseUntil());
        slowLeases.follow(followed);
        await().atMost(Duration.ofSeconds(5)).until(() -> holder("r4").isFree(Instant.now()));
        RunOwner newOwner = RunOwner.self(null);
        leasesOf(newOwner, LONG).take(newRun("r4"));
        Instant newLease = holder("r4").leaseUntil();

        slowLeases.renew();

        assertThat(followed.isLost()).isTrue();
        assertThat(followed.lostTo()).contains("was taken over by process " + ProcessHandle.current().pid());
        assertThat(holder("r4").isOwnedBy(newOwner)).isTrue();
        assertThat(holder("r4").leaseUntil()).isEqualTo(newLease);
        followed.end(Outcome.FAILED, null);
        assertThatThrownBy(() -> ledger.finish(followed, slow)).isInstanceOf(RunTakenOver.class);
        assertThat(ledger.find("r4").orElseThrow().result().outcome()).isNull();
    }

    @Test
    void aProcessWhoseLeaseLapsedAsksTheLedgerBeforeItGoesOn() {
        RunOwner paused = RunOwner.self(null);
        RunLeases pausedLeases = leasesOf(paused, Duration.ofMillis(300));
        Run kept = insertedBy(paused, "kept", pausedLeases.leaseUntil());
        Run lost = insertedBy(paused, "lost", pausedLeases.leaseUntil());
        pausedLeases.follow(kept);
        pausedLeases.follow(lost);
        await().atMost(Duration.ofSeconds(5)).until(() -> holder("lost").isFree(Instant.now()));
        leasesOf(RunOwner.self(null), LONG).take(newRun("lost"));

        assertThat(kept.checkHeld()).as("nobody took it: the lease is renewed and the run goes on").isTrue();
        assertThat(holder("kept").isFree(Instant.now())).isFalse();
        assertThat(lost.checkHeld()).isFalse();
        assertThat(lost.isLost()).isTrue();
    }

    @Test
    void aCleanExitReleasesTheRunsForTheNextProcessAtOnce() {
        RunOwner leaving = RunOwner.self(null);
        RunLeases leavingLeases = leasesOf(leaving, LONG);
        leavingLeases.follow(insertedBy(leaving, "r5", leavingLeases.leaseUntil()));

        leavingLeases.close();

        RunOwner next = RunOwner.self(null);
        leasesOf(next, LONG).take(newRun("r5"));
        assertThat(holder("r5").isOwnedBy(next)).isTrue();
    }

    @Test
    void aRunEndedRunningIsFollowedAgainOnceTaken() {
        RunOwner first = RunOwner.self(null);
        Run detached = insertedBy(first, "r6", Instant.now().plus(LONG));
        detached.end(Outcome.RUNNING, null);
        ledger.finish(detached, first);

        RunOwner resumer = RunOwner.self(null);
        leasesOf(resumer, LONG).take(newRun("r6"));

        assertThat(holder("r6").outcome()).isNull();
        assertThat(holder("r6").isOwnedBy(resumer)).isTrue();
    }

    @Test
    void aRenewalTickCoversEveryRunAndGivesUpOnlyTheOneTakenOver() {
        RunOwner me = RunOwner.self(null);
        RunLeases leases = leasesOf(me, LONG);
        Instant soon = Instant.now().plusSeconds(1);
        int count = 1001;
        java.util.List<Run> runs = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Run run = insertedBy(me, "many-" + i, soon);
            leases.follow(run);
            runs.add(run);
        }
        RunOwner other = RunOwner.self(null);
        Run takenOver = runs.get(507);
        assertThat(ownership.take(holder(takenOver.runId()), other, Instant.now().plus(LONG), false)).isTrue();

        leases.renew();

        assertThat(runs).filteredOn(r -> r != takenOver).allSatisfy(r -> {
            assertThat(r.isLost()).as(r.runId()).isFalse();
            assertThat(holder(r.runId()).leaseUntil()).as(r.runId()).isAfter(soon.plusSeconds(60));
        });
        assertThat(takenOver.isLost()).isTrue();
        assertThat(holder(takenOver.runId()).isOwnedBy(other)).isTrue();
    }

    @Test
    void aRenewalWritesTheOwnersOneRowNotEveryRunItHolds() throws Exception {
        RunOwner me = RunOwner.self(null);
        RunLeases leases = leasesOf(me, LONG);
        Instant soon = Instant.now().plusSeconds(1);
        for (int i = 0; i < 3; i++) {
            leases.follow(insertedBy(me, "one-row-" + i, soon));
        }

        leases.renew();

        assertThat(sql("SELECT COUNT(*) FROM jp_run WHERE lease_until > ?", Instant.now().plusSeconds(60)))
                .as("no run's own row was rewritten").isZero();
        assertThat(sql("SELECT COUNT(*) FROM jp_owner_lease WHERE owner = ?", me.token())).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            assertThat(holder("one-row-" + i).leaseUntil()).isAfter(soon.plusSeconds(60));
            assertThat(holder("one-row-" + i).isFree(soon.plusSeconds(60))).isFalse();
        }
        leases.close();
        assertThat(sql("SELECT COUNT(*) FROM jp_owner_lease WHERE owner = ?", me.token())).as("a clean exit deletes it").isZero();
    }

    @Test
    void aRunThatEndedIsFreeWhateverItsOwnersLease() {
        RunOwner first = RunOwner.self(null);
        RunLeases firstLeases = leasesOf(first, LONG);
        Run detached = insertedBy(first, "ended-held", firstLeases.leaseUntil());
        firstLeases.follow(detached);
        firstLeases.renew();
        detached.end(Outcome.RUNNING, null);
        ledger.finish(detached, first);

        assertThat(holder("ended-held").isFree(Instant.now())).isTrue();
        RunOwner resumer = RunOwner.self(null);
        leasesOf(resumer, LONG).take(newRun("ended-held"));
        assertThat(holder("ended-held").isOwnedBy(resumer)).isTrue();
    }

    @Test
    void anOwnersRowLeftByAKilledProcessIsDeletedADayLater() throws Exception {
        sql("INSERT INTO jp_owner_lease (owner, lease_until) VALUES (?, ?)", "gone-host/1/old", Instant.now().minus(Duration.ofDays(2)));
        sql("INSERT INTO jp_owner_lease (owner, lease_until) VALUES (?, ?)", "gone-host/2/recent", Instant.now().minus(Duration.ofHours(1)));
        RunOwner me = RunOwner.self(null);
        RunLeases leases = leasesOf(me, LONG);
        leases.follow(insertedBy(me, "cleaner", leases.leaseUntil()));

        leases.renew();

        assertThat(sql("SELECT COUNT(*) FROM jp_owner_lease WHERE owner = ?", "gone-host/1/old")).isZero();
        assertThat(sql("SELECT COUNT(*) FROM jp_owner_lease WHERE owner = ?", "gone-host/2/recent")).isEqualTo(1);
    }

    /** A count, or an update's row count, straight from the ledger's database. */
    private long sql(String statement, Object... args) throws Exception {
        try (var c = ledger.dataSource().getConnection(); var ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i] instanceof Instant t ? java.sql.Timestamp.from(t) : args[i]);
            }
            if (!statement.startsWith("SELECT")) {
                return ps.executeUpdate();
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
