package io.jobpilot.iics;

import io.jobpilot.sandbox.iics.IicsSimulator;
import io.jobpilot.sandbox.iics.TaskScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The SSO login (loginOAuth with a JWT) through the command line, the real routes and the IICS simulator over HTTP. */
class IicsSsoLoginTest extends JobpilotTestSupport {
    private static final String LOGIN_OAUTH = "ma/api/v2/user/loginOAuth";
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);

    private static TaskScript newTask() {
        return TaskScript.create("0119SSO0" + String.format("%012d", IDS.incrementAndGet()));
    }

    private RunCommand job(TaskScript task, String... sso) {
        sandbox.iics().task(task);
        List<String> options = new ArrayList<>(List.of("--set", "jobpilot.iics.org-id=" + IicsSimulator.ORG_ID));
        for (String s : sso) {
            options.addAll(List.of("--set", s));
        }
        return workflow("iics-job").param("task-id", task.taskId()).param("task-type", "MTT").with(options.toArray(String[]::new));
    }

    /** A command that prints the next of {@code n} fresh tokens, one per login, as an identity provider's CLI would. */
    private String tokenCommand(int n) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("tokens"));
        for (int i = 0; i < n; i++) {
            Files.writeString(dir.resolve("t" + i), IicsSimulator.newJwt() + "\n");
        }
        return "f=$(ls " + dir + " | head -1); cat " + dir + "/$f; rm " + dir + "/$f";
    }

    @Test
    void aJwtCommandGivesAFreshTokenForTheLoginAfterTheSessionExpired() throws Exception {
        int replaysBefore = sandbox.iics().replayedJwts();

        Ran cli = job(newTask().phases(0, 4, 0).expireSessionsAtPoll(2), "jobpilot.iics.jwt-command=" + tokenCommand(3)).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", LOGIN_OAUTH)).as("the first login and one after the 401").isEqualTo(2);
        assertThat(sandbox.journal().count("POST", "saas/public/core/v3/login")).isZero();
        assertThat(sandbox.iics().replayedJwts()).isEqualTo(replaysBefore);
        assertThat(sandbox.journal().matching("POST", LOGIN_OAUTH).get(0).body()).doesNotContain("@type")
                .contains("\"orgId\":\"" + IicsSimulator.ORG_ID + "\"");
    }

    @Test
    void aSingleTokenIsNeverReplayedAfterTheSessionExpired() throws Exception {
        String jwt = IicsSimulator.newJwt();

        Ran cli = job(newTask().phases(0, 4, 0).expireSessionsAtPoll(2), "jobpilot.iics.jwt=" + jwt).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        assertThat(cli.json().path("error").path("kind").asText()).isEqualTo("AUTHENTICATION");
        assertThat(cli.json().path("error").path("message").asText()).contains("one login only").contains("jwt-command");
        assertThat(sandbox.journal().count("POST", LOGIN_OAUTH)).as("the token went out once").isEqualTo(1);
        assertThat(cli.out() + cli.err()).doesNotContain(jwt);
        try (var files = Files.walk(runDir(cli.runId()))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).doesNotContain(jwt);
            }
        }
    }

    @Test
    void aTokenAlreadyUsedElsewhereIsRefusedByIicsAndReportedMasked() throws Exception {
        Path file = tmp.resolve("iics.jwt");
        String jwt = IicsSimulator.newJwt();
        Files.writeString(file, jwt);
        assertThat(job(newTask().phases(0, 1, 0), "jobpilot.iics.jwt-file=" + file).run().exitCode()).isZero();

        Ran second = job(newTask().phases(0, 1, 0), "jobpilot.iics.jwt-file=" + file).run();   // another process, same file

        assertThat(second.exitCode()).as(second.toString()).isEqualTo(7);
        assertThat(second.json().path("error").path("kind").asText()).isEqualTo("AUTHENTICATION");
        assertThat(second.json().path("error").path("message").asText()).contains("SSO login of organisation")
                .contains("already used").contains("jwt-file");
        assertThat(second.out() + second.err()).doesNotContain(jwt);
    }
}
