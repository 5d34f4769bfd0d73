package io.jobpilot.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.iics.ExportScript;
import io.jobpilot.sandbox.iics.TaskScript;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fault on every start call: turned away before reaching the vendor (retried), answered (acted on), or answer
 * lost after the vendor acted (reconciled, never resent). Asserted on the simulator's journal.
 */
class StartCallFaultsTest extends JobpilotTestSupport {
    private static final String JOB = "pod/saas/api/v2/job";
    private static final String EXPORT = "pod/saas/public/core/v3/export";
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);

    @Override
    protected Map<String, String> testProperties() {
        Map<String, String> p = super.testProperties();
        p.put("jobpilot.http.response-timeout", "1s");
        return p;
    }

    private String iicsJob(Fault fault) {
        TaskScript task = TaskScript.create("0119Y40Z" + String.format("%012d", IDS.incrementAndGet())).phases(1, 2, 1);
        sandbox.iics().task(task);
        if (fault != null) {
            sandbox.faults().add(fault);
        }
        return task.taskId();
    }

    private Cli runJob(String taskId) {
        return jobpilot("run", "iics-job", "-p", "task-id=" + taskId, "-p", "task-type=MTT", "--run-id", "s" + System.nanoTime(), "--json");
    }

    @Test
    void aStartTurnedAwayByAGatewayOrRateLimitIsRetried() {
        String taskId = iicsJob(Fault.on("POST", JOB).status(503).times(1));
        sandbox.faults().add(Fault.on("POST", JOB).html(502).times(1)).add(Fault.on("POST", JOB).status(429).retryAfter(0).times(1));

        Cli cli = runJob(taskId);

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(4);
        assertThat(sandbox.iics().runsOf(taskId)).isEqualTo(1);
    }

    @Test
    void aStartAnsweredWithAServerErrorIsNotRetried() {
        String taskId = iicsJob(Fault.on("POST", JOB).status(500).always());

        Cli cli = runJob(taskId);

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(7);
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
    }

    @Test
    void aStartWhoseConnectionDroppedAfterIicsActedIsFoundAndAdopted() {
        String taskId = iicsJob(Fault.on("POST", JOB).afterActing().drop().times(1));

        Cli cli = runJob(taskId);

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
        assertThat(sandbox.iics().runsOf(taskId)).isEqualTo(1);
        JsonNode result = cli.json();
        assertThat(result.path("remoteIds").path("runId").asText()).isNotBlank();
        assertThat(result.path("warnings").toString()).contains("was adopted instead of starting the task again");
    }

    @Test
    void aStartAnsweredAfterTheResponseTimeoutIsFoundAndAdopted() {
        String taskId = iicsJob(Fault.on("POST", JOB).afterActing().delay(3_000).times(1));

        Cli cli = runJob(taskId);

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
        assertThat(cli.err()).contains("was lost").contains("asking the vendor what it did");
    }

    @Test
    void aStartAnsweredWithAnHtmlPageAfterIicsActedIsFoundAndAdopted() {
        String taskId = iicsJob(Fault.on("POST", JOB).afterActing().html(200).times(1));

        Cli cli = runJob(taskId);

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
        assertThat(sandbox.iics().runsOf(taskId)).isEqualTo(1);
        assertThat(cli.err()).contains("an HTML page instead of the vendor's answer");
    }

    @Test
    void aStartThatNeverReachedIicsEndsUncertainAndIsSentOnlyWhenTheUserSaysSo() {
        // the request reaches the simulator, which answers nothing and starts nothing: IICS cannot say it did not run
        String taskId = iicsJob(Fault.on("POST", JOB).drop().times(1));
        String runId = "s" + System.nanoTime();

        Cli cli = jobpilot("run", "iics-job", "-p", "task-id=" + taskId, "-p", "task-type=MTT", "--run-id", runId, "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        assertThat(cli.json().path("error").path("kind").asText()).isEqualTo("UNCERTAIN_START");
        assertThat(cli.json().path("error").path("message").asText()).contains("--restart-start").contains("IICS Monitor");
        assertThat(sandbox.iics().runsOf(taskId)).isZero();

        Cli again = jobpilot("resume", runId, "--json");            // asks IICS again: still nothing, nothing sent
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);

        Cli restarted = jobpilot("resume", runId, "--restart-start", "--json");
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(sandbox.iics().runsOf(taskId)).isEqualTo(1);
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(2);
    }

    @Test
    void restartStartIsRefusedForARunWhoseStartIsNotUncertain() {
        String taskId = iicsJob(null);
        String runId = "s" + System.nanoTime();
        assertThat(jobpilot("run", "iics-job", "-p", "task-id=" + taskId, "-p", "task-type=MTT", "--run-id", runId).exitCode()).isZero();

        Cli cli = jobpilot("resume", runId, "--restart-start");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("--restart-start is only for a run that ended with an uncertain start").doesNotContain("\tat ");
        assertThat(sandbox.journal().count("POST", JOB)).isEqualTo(1);
    }

    @Test
    void anExportWhoseAnswerWasLostIsStartedOnceMoreWithAWarning() {
        String name = "lost-" + System.nanoTime();
        sandbox.iics().scriptExport(name, ExportScript.create().runningPolls(1));
        sandbox.faults().add(Fault.on("POST", EXPORT).afterActing().drop().times(1));

        Cli cli = jobpilot("run", "iics-export", "-p", "objects=l7bgB85m5oGiXObDxwnvK9", "-p", "name=" + name, "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", EXPORT)).isEqualTo(2);
        assertThat(cli.json().path("warnings").toString()).contains("IICS offers no way to look export jobs up");
    }

    @Test
    void exagoBatchAnsweredTooLateIsNeverSentAgain() throws Exception {
        Path batch = tmp.resolve("batch.json");
        Files.writeString(batch, "[{\"Url\":\"Sessions\",\"Method\":\"POST\"}]");
        sandbox.faults().add(Fault.on("POST", "rest/batch").afterActing().delay(3_000).times(1));

        Cli cli = jobpilot("run", "exago-batch", "-p", "batch=" + batch, "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        assertThat(cli.json().path("error").path("kind").asText()).isEqualTo("UNCERTAIN_START");
        assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(1);
    }

    @Test
    void exagoBatchTurnedAwayWith503IsRetried() throws Exception {
        Path batch = tmp.resolve("batch.json");
        Files.writeString(batch, "[{\"Url\":\"Sessions\",\"Method\":\"POST\"}]");
        sandbox.faults().add(Fault.on("POST", "rest/batch").status(503).times(2));

        Cli cli = jobpilot("run", "exago-batch", "-p", "batch=" + batch, "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(3);
    }

    @Test
    void oneIntegratePutAndPlayWhoseAnswersWereLostAreJudgedNotResent() throws Exception {
        String path = "Lost/" + System.nanoTime();
        sandbox.oneIntegrate().script(path, SessionScript.create().runningPolls(1).task("t", 3));
        sandbox.faults().add(Fault.on("PUT", "sessions/.+").afterActing().drop().times(1))
                .add(Fault.on("POST", "sessions/.+").afterActing().delay(3_000).times(1));

        Cli cli = jobpilot("run", "oneintegrate-session", "-p", "path=" + path, "-p", "session=" + sessionFile("{}"), "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("PUT", "sessions/.+")).isEqualTo(1);
        assertThat(sandbox.journal().count("POST", "sessions/.+")).isEqualTo(1);
        assertThat(sandbox.oneIntegrate().plays(path)).isEqualTo(1);
        assertThat(cli.json().path("warnings").toString()).contains("is this run's own").contains("so it was not played again");
    }

    @Test
    void oneIntegratePutRateLimitedIsRetried() throws Exception {
        String path = "Refused/" + System.nanoTime();
        sandbox.oneIntegrate().script(path, SessionScript.create().runningPolls(0).task("t", 1));
        sandbox.faults().add(Fault.on("PUT", "sessions/.+").status(429).retryAfter(0).times(2));

        Cli cli = jobpilot("run", "oneintegrate-session", "-p", "path=" + path, "-p", "session=" + sessionFile("{}"), "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("PUT", "sessions/.+")).isEqualTo(3);
    }
}
