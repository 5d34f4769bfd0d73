package io.jobpilot.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.ledger.RunOwnership;
import io.jobpilot.sandbox.iics.TaskScript;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One process follows a run at a time, with real processes: a `jobpilot run` in a child JVM holds its run while the
 * sandbox keeps the remote job running; a second `run --run-id` or `resume` exits 2 naming it; once it is killed, a
 * resume on this host takes over at once; a process that was presumed gone and comes back leaves the run alone.
 */
class OneOwnerPerRunTest extends JobpilotTestSupport {
    private static final String JOB = "pod/saas/api/v2/job";
    private static final String MONITOR = "pod/saas/api/v2/activity/activityMonitor";
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);
    /** The owner polls slowly, so the sandbox's job is still running while the test acts. */
    private static final List<String> SLOW_POLLS = List.of("--set", "jobpilot.poll.initial-interval=500ms",
            "--set", "jobpilot.poll.max-interval=500ms");

    /**
     * Opened before any child: this JVM serves the H2 file (AUTO_SERVER), so a child that is killed or paused does not
     * take the database away from the others.
     */
    private Ledger ledger;

    @BeforeEach
    void openLedger() {
        ledger = Ledger.open(dbUrl(), "sa", "", 2);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private TaskScript runningTask() {
        TaskScript task = TaskScript.create("0119Y40Z" + String.format("%012d", IDS.incrementAndGet())).phases(1, 40, 1);
        sandbox.iics().task(task);
        return task;
    }

    private static String[] iicsJob(TaskScript task, String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "iics-job", "-p", "task-id=" + task.taskId(), "-p", "task-type=mtt",
                "--run-id", runId));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static String[] slowly(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(SLOW_POLLS);
        return all.toArray(String[]::new);
    }

    private String ownerLine(String runId, Process owner) {
        return "run " + runId + " is being followed by process " + owner.pid() + " on host " + RunOwner.hostName() + " since ";
    }

    private RunHolder holder(String runId) {
        return new RunOwnership(ledger).holder(runId).orElseThrow();
    }

    @Test
    void whileItsOwnerLivesASecondRunOrResumeExitsTwoAndAfterKill9AResumeTakesOverAtOnce() throws Exception {
        TaskScript task = runningTask();
        Process owner = childJvm("owner.log", slowly(iicsJob(task, "own-1")));
        await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.journal().count("GET", MONITOR) >= 2);

        Cli second = jobpilot(iicsJob(task, "own-1"));
        Cli resume = jobpilot("resume", "own-1");

        assertThat(owner.isAlive()).as(childLog("owner.log")).isTrue();
        for (Cli refused : List.of(second, resume)) {
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
            assertThat(refused.err().strip()).startsWith("jobpilot: " + ownerLine("own-1", owner))
                    .containsPattern("since \\d\\d:\\d\\d:\\d\\dZ; wait for it, or stop it with jobpilot stop own-1$")
                    .doesNotContain("Exception").doesNotContain("\n");
        }
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);

        kill9(owner);
        Instant deadOwnersLease = holder("own-1").leaseUntil();
        Cli resumed = jobpilot("resume", "own-1", "--json");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.json().path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(resumed.err()).contains("taking over from process " + owner.pid() + " on host " + RunOwner.hostName()
                + ", which no longer exists");
        LedgerRun run = ledger.find("own-1").orElseThrow();
        Instant takenOver = run.events().stream().filter(e -> e.state().equals("RESUMED")).findFirst().orElseThrow().at();
        assertThat(takenOver).as("taken over without waiting for the dead owner's lease").isBefore(deadOwnersLease);
        assertThat(sandbox.journal().count("POST", JOB)).as("the task was started once").isEqualTo(1);
    }

    @Test
    void twoRunsOfOneNewRunIdAtOnceStartOneSessionAndTheOtherExitsTwo() throws Exception {
        String path = "Owner/Race";
        sandbox.oneIntegrate().script(path, SessionScript.create().runningPolls(40).task("t", 10));
        String[] args = slowly("run", "oneintegrate-session", "-p", "path=" + path, "-p", "session=" + sessionFile("{}"),
                "--run-id", "race-1");
        Process a = childJvm("a.log", args);
        Process b = childJvm("b.log", args);
        assertThat(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS)).isTrue();

        Process winner = a.exitValue() == 0 ? a : b;
        Process loser = winner == a ? b : a;
        String loserLog = childLog(loser == a ? "a.log" : "b.log");
        assertThat(List.of(winner.exitValue(), loser.exitValue())).as(childLog("a.log") + "\n---\n" + childLog("b.log"))
                .containsExactly(0, 2);
        assertThat(loserLog).contains("jobpilot: " + ownerLine("race-1", winner)).doesNotContain("Exception");
        assertThat(sandbox.journal().count("PUT", "sessions/.+")).isEqualTo(1);
        assertThat(sandbox.journal().count("POST", "sessions/.+")).isEqualTo(1);
        assertThat(ledger.find("race-1").orElseThrow().result().outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void aProcessPresumedGoneThatComesBackLeavesTheRunToItsNewOwner() throws Exception {
        TaskScript task = runningTask();
        Process paused = childJvm("paused.log", slowly(iicsJob(task, "own-2", "--set", "jobpilot.run.lease=1s")));
        await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.journal().count("GET", MONITOR) >= 2);
        signal(paused, "STOP");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> holder("own-2").isFree(Instant.now()));
            Cli taken = jobpilot("resume", "own-2", "--json");
            assertThat(taken.exitCode()).as(taken.toString()).isZero();
        } finally {
            signal(paused, "CONT");
        }

        assertThat(paused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = childLog("paused.log");
        assertThat(paused.exitValue()).as("the outcome its new owner recorded: " + log).isZero();
        assertThat(log).contains("run own-2 was taken over by process " + ProcessHandle.current().pid() + " on host ")
                .contains("ended SUCCEEDED, as another process recorded it");
        assertThat(log.lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d .*run own-2 was taken over by.*")))
                .as("said once in the progress lines (the summary's warning repeats it)").hasSize(1);
        JsonNode recorded = runJson("own-2");
        assertThat(recorded.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(ledger.find("own-2").orElseThrow().result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
    }

    @Test
    void aStopWhileAnotherProcessFollowsTheRunEndsItAndTheFollowerRecordsNothingOfItsOwn() throws Exception {
        // the follower notices at its next renewal (every second) or at its end
        TaskScript task = runningTask();
        Process follower = childJvm("follower.log", slowly(iicsJob(task, "own-3", "--set", "jobpilot.run.lease=3s")));
        await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.journal().count("GET", MONITOR) >= 2);

        Cli stop = jobpilot("stop", "own-3");

        assertThat(stop.exitCode()).as(stop.toString()).isEqualTo(Outcome.STOPPED.exitCode());
        assertThat(follower.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(follower.exitValue()).as(childLog("follower.log")).isEqualTo(Outcome.STOPPED.exitCode());
        assertThat(childLog("follower.log")).contains("ended STOPPED, as another process recorded it");
        LedgerRun run = ledger.find("own-3").orElseThrow();
        assertThat(run.result().outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(runJson("own-3").path("outcome").asText()).isEqualTo("STOPPED");
        assertThat(run.events().stream().filter(e -> e.state().equals("STOPPED")).count()).as("one end recorded").isEqualTo(1);
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
        assertThat(sandbox.journal().count("POST", JOB + "/stop")).isEqualTo(1);
    }

    private static void signal(Process p, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor()).isZero();
    }
}
