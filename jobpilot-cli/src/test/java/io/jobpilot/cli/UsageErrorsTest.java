package io.jobpilot.cli;

import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A wrong command line exits 2 with a message that says what is wrong, before any HTTP call and without a stack trace. */
class UsageErrorsTest extends JobpilotTestSupport {

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(new String[] {"run", "no-such-workflow"}, "unknown workflow 'no-such-workflow' (known: "),
                Arguments.of(new String[] {"runs", "--state", "RUNNIN"}, "runs: --state RUNNIN matches no run (one of PENDING, RUNNING"),
                Arguments.of(new String[] {"runs", "--state", "RUNNIN"}, "did you mean RUNNING?"),
                Arguments.of(new String[] {"runs", "--workflow", "iics-jobs"}, "did you mean iics-job?"),
                Arguments.of(new String[] {"run"}, "run: which workflow? Give one of exago-batch, iics-export, iics-import, iics-job, iics-taskflow, infolink-job, oneintegrate-session"),
                Arguments.of(new String[] {"run", "oneintegrate-session"}, "-p path=FOLDER/SESSION is required"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "-p", "pth=b"}, "unknown parameter -p pth"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "-p", "page-size=5000"},
                        "page-size must be between 1 and 1000"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "-p", "page-size=lots"},
                        "page-size must be a whole number, not 'lots'"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "-p", "session=/no/such/file.json"},
                        "-p session=/no/such/file.json: no such file"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "-p", "if-exists=overwrite"},
                        "if-exists must be one of fail, reuse, replace, not 'overwrite'"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "-p", "if-exists=reuse"},
                        "if-exists only applies with -p session=FILE"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "-p", "paused-means=maybe"},
                        "paused-means must be one of done, continue"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--timeout", "soon"},
                        "--timeout: 'soon' is not a duration"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--on-timeout", "panic"},
                        "--on-timeout must be stop, detach or fail, not 'panic'"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--run-id", "../escape"},
                        "--run-id '../escape' must be 1-128 letters"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--set", "jobpilot.poll.multiplier=fast"},
                        "jobpilot.poll.multiplier: 'fast' is not a number"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--config", "/no/such.properties"},
                        "--config /no/such.properties: no such file"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--notify", "ftp://hooks.example/x"},
                        "--notify 'ftp://hooks.example/...' must be an http:// or https:// URL"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--notify", "hooks.example/x"},
                        "--notify 'hooks.example/...' must be an http:// or https:// URL"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--notify", "http:///x"},
                        "--notify 'http:///...' has no host"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--notify", "http://a b/"},
                        "--notify 'http://a b' is not a URL"),
                Arguments.of(new String[] {"run", "oneintegrate-session", "-p", "path=a", "--set", "jobpilot.db.url=jdbc:sqlite:ledger.db"},
                        "jobpilot.db.url jdbc:sqlite:ledger.db must start with jdbc:h2: or jdbc:postgresql:"),
                Arguments.of(new String[] {"resume", "never-ran"}, "no run 'never-ran' in the ledger"),
                Arguments.of(new String[] {"show", "never-ran"}, "no run 'never-ran': no ledger at "));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void exitsTwoWithAClearMessageAndSendsNothing(String[] args, String message) {
        Cli cli = jobpilot(args);

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
        assertThat(cli.err()).contains(message).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(sandbox.journal().all()).isEmpty();
    }

    /** The process as a user runs it: its whole stderr, Camel's log included, is the one line. */
    @Test
    void aUsageErrorWithARunIdIsOneLineInTheWholeOutput() throws Exception {
        Process p = childJvm("usage.log", withTestProperties("run", "oneintegrate-session", "--run-id", "usage-1", "-p", "path=a", "-p", "pth=b"));
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String log = childLog("usage.log");
        assertThat(p.exitValue()).as(log).isEqualTo(2);
        assertThat(log.strip()).as(log).startsWith("jobpilot: ").contains("unknown parameter -p pth").doesNotContain("\n")
                .doesNotContain("Failed delivery");
    }

    @Test
    void everyCommandHasHelpAndExitsZero() {
        for (String[] args : List.of(new String[]{"--help"}, new String[]{"run", "--help"}, new String[]{"resume", "--help"},
                new String[]{"stop", "--help"}, new String[]{"runs", "--help"}, new String[]{"show", "--help"}, new String[]{"serve", "--help"},
                new String[]{"simulate", "--help"}, new String[]{"demo", "--help"}, new String[]{"run", "-h"})) {
            Cli cli = jobpilot(args);
            assertThat(cli.exitCode()).as(String.join(" ", args) + ": " + cli).isZero();
            assertThat(cli.out()).as(String.join(" ", args)).startsWith("Usage: jobpilot");
        }
    }

    @Test
    void helpNamesACommand() {
        java.io.StringWriter out = new java.io.StringWriter();
        int code = io.jobpilot.cli.JobpilotCommand.execute(new String[]{"help", "run"}, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(new java.io.StringWriter(), true));
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("Usage: jobpilot run");
    }

    @Test
    void aMistypedCommandGetsASuggestionAndItsOwnHelpName() {
        Cli cli = jobpilot("rn");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("Did you mean: jobpilot run?").contains("(see jobpilot --help)").doesNotContain("jobpilot jobpilot");
        Cli option = jobpilot("runs", "--stat", "RUNNING");
        assertThat(option.err()).contains("Did you mean: --state?").contains("(see jobpilot runs --help)");
    }
}
