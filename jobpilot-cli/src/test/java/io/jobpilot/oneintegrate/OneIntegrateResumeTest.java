package io.jobpilot.oneintegrate;

import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A jobpilot process is killed (SIGKILL) in the middle of a run; `jobpilot resume` finishes it without a second PUT or
 * play and without writing any report twice.
 */
class OneIntegrateResumeTest extends JobpilotTestSupport {

    @Test
    void killedWhilePollingThenResumedPlaysOnce() throws Exception {
        String path = "Resume/While polling";
        sandbox.oneIntegrate().script(path, SessionScript.create().runningPolls(30).task("t", 2500));
        String runId = "killed-polling";
        Process child = childJvm("child.log", "run", "oneintegrate-session", "-p", "path=" + path, "-p",
                "session=" + sessionFile("{}"), "--run-id", runId);
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.journal().count("GET", "results/.+/status") >= 3);
        kill9(child);

        Cli resumed = jobpilot("resume", runId, "--json");

        assertThat(resumed.exitCode()).as(resumed + "\nchild: " + childLog("child.log")).isZero();
        assertThat(sandbox.journal().count("PUT", "sessions/.+")).isEqualTo(1);
        assertThat(sandbox.journal().count("POST", "sessions/.+")).isEqualTo(1);
        assertThat(resumed.err()).contains("resuming oneintegrate-session (done before: ");
        assertThat(lines(runDir(runId).resolve("tasks/t/reports.ndjson"))).hasSize(2500).doesNotHaveDuplicates();
        assertThat(jobpilot("show", runId, "--json").json().path("events").toString()).contains("RESUMED");
    }

    @Test
    void killedWhilePagingThenResumedFetchesOnlyTheMissingPages() throws Exception {
        String path = "Resume/While paging";
        sandbox.oneIntegrate().script(path, SessionScript.create().runningPolls(0).task("t", 40_000));
        sandbox.faults().add(Fault.on("GET", "results/.+/report").delay(150).always());
        String runId = "killed-paging";
        Process child = childJvm("child.log", "run", "oneintegrate-session", "-p", "path=" + path, "-p",
                "session=" + sessionFile("{}"), "--run-id", runId, "--set", "jobpilot.paging.concurrency=2");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.journal().count("GET", "results/.+/report") >= 8);
        kill9(child);
        long before = sandbox.journal().count("GET", "results/.+/report");
        sandbox.faults().clear();

        Cli resumed = jobpilot("resume", runId, "--json");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        List<String> reports = lines(runDir(runId).resolve("tasks/t/reports.ndjson"));
        assertThat(reports).hasSize(40_000).doesNotHaveDuplicates();
        long after = sandbox.journal().count("GET", "results/.+/report") - before;
        assertThat(after).as("pages fetched after resume").isLessThan(41).isGreaterThan(0);
        assertThat(resumed.err()).contains("report page(s) already on disk");
        assertThat(sandbox.journal().count("POST", "sessions/.+")).isEqualTo(1);
    }

    @Test
    void runWithAnExistingRunIdResumesInsteadOfStartingAgain() throws Exception {
        String path = "Resume/Same id";
        sandbox.oneIntegrate().script(path, SessionScript.create().runningPolls(2).task("t", 7));
        String session = sessionFile("{}").toString();
        Cli first = jobpilot("run", "oneintegrate-session", "-p", "path=" + path, "-p", "session=" + session,
                "--run-id", "same-id", "--no-wait");
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(6);

        Cli again = jobpilot("run", "oneintegrate-session", "-p", "path=" + path, "-p", "session=" + session,
                "--run-id", "same-id");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        Cli once_more = jobpilot("run", "oneintegrate-session", "-p", "path=" + path, "--run-id", "same-id", "--json");
        assertThat(once_more.exitCode()).isZero();
        assertThat(once_more.json().path("outcome").asText()).isEqualTo("SUCCEEDED");

        assertThat(sandbox.journal().count("PUT", "sessions/.+")).isEqualTo(1);
        assertThat(sandbox.journal().count("POST", "sessions/.+")).isEqualTo(1);
        assertThat(lines(runDir("same-id").resolve("tasks/t/reports.ndjson"))).hasSize(7);
    }
}
