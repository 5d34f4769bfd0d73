package io.jobpilot.ledger;

import io.jobpilot.run.Json;
import io.jobpilot.sandbox.iics.TaskScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One H2 ledger file, named the way a user writes it (jdbc:h2:file:DIR/jobpilot, no options), used by several real
 * processes at once: runs side by side, `runs` and `show` while they go and while the serving process exits, and
 * the embedded server H2 starts for the sharing listening on loopback only.
 */
class SharedLedgerTest extends JobpilotTestSupport {
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);
    private static final String JOB = "pod/saas/api/v2/job";
    private static final String MONITOR = "pod/saas/api/v2/activity/activityMonitor";
    private static final Pattern LOCK_SERVER = Pattern.compile("server=[^:]+\\\\?:(\\d+)");

    @Override
    protected String dbUrl() {
        return "jdbc:h2:file:" + tmp.resolve("ledger").toAbsolutePath();
    }

    /** An IICS task that runs for {@code polls} status polls. */
    private TaskScript task(int polls) {
        TaskScript task = TaskScript.create("0119Y40Z" + String.format("%012d", IDS.incrementAndGet())).phases(1, polls, 1);
        sandbox.iics().task(task);
        return task;
    }

    private static String[] run(TaskScript task, String runId, String pollEvery) {
        return new String[]{"run", "iics-job", "-p", "task-id=" + task.taskId(), "-p", "task-type=mtt", "--run-id", runId,
                "--set", "jobpilot.poll.initial-interval=" + pollEvery, "--set", "jobpilot.poll.max-interval=" + pollEvery};
    }

    private static void finished(Process p, String log) {
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(log + " ended").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void twoRunsOnOneExplicitFileUrlBothFinishAndRunsAndShowWorkMeanwhile() throws Exception {
        TaskScript longOne = task(1).runsForever();   // until runs and show have seen it going
        Process a = childJvm("a.log", run(longOne, "shared-a", "200ms"));
        await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.journal().count("POST", JOB) >= 1);
        Process b = childJvm("b.log", run(task(20), "shared-b", "200ms"));
        await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.journal().count("POST", JOB) >= 2);

        // this JVM stays away from the ledger meanwhile: the processes that share it are the run, runs and show children
        Process runs = childJvm("runs.log", "runs", "--json");
        Process show = childJvm("show.log", "show", "shared-a", "--json");
        finished(runs, "runs");
        finished(show, "show");
        assertThat(List.of(runs.exitValue(), show.exitValue())).as(childLog("runs.log") + "\n---\n" + childLog("show.log"))
                .containsExactly(0, 0);
        Set<String> listed = new HashSet<>();
        Json.MAPPER.readTree(childLog("runs.log")).forEach(r -> listed.add(r.path("runId").asText()));
        assertThat(listed).containsExactlyInAnyOrder("shared-a", "shared-b");
        assertThat(Json.MAPPER.readTree(childLog("show.log")).path("run").path("outcome").isTextual()).as("shared-a still going, no outcome")
                .isFalse();
        longOne.finish();

        finished(a, "a");
        finished(b, "b");
        assertThat(List.of(a.exitValue(), b.exitValue())).as(childLog("a.log") + "\n---\n" + childLog("b.log"))
                .containsExactly(0, 0);
        for (String runId : List.of("shared-a", "shared-b")) {
            assertThat(runJson(runId).path("outcome").asText()).isEqualTo("SUCCEEDED");
            Cli shown = jobpilot("show", runId, "--json");
            assertThat(shown.json().path("run").path("outcome").asText()).as(shown.toString()).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void runsAtTheMomentTheServingProcessExitsWorksOrSaysSoInOneLine() throws Exception {
        for (int round = 0; round < 3; round++) {
            String runId = "exit-race-" + round;
            Process run = childJvm(runId + ".log", run(task(3), runId, "50ms"));
            List<Process> readers = new ArrayList<>();
            // readers keep starting until the run process has exited, so some of them meet it exiting
            while (run.isAlive() || readers.size() < 2) {
                readers.add(childJvm(runId + "-runs-" + readers.size() + ".log", "runs"));
                if (readers.size() > 1) {
                    readers.get(readers.size() - 2).waitFor(60, TimeUnit.SECONDS);
                }
            }
            finished(run, runId);
            assertThat(run.exitValue()).as(childLog(runId + ".log")).isZero();
            for (int i = 0; i < readers.size(); i++) {
                finished(readers.get(i), "reader " + i);
                String log = childLog(runId + "-runs-" + i + ".log");
                assertThat(readers.get(i).exitValue()).as(log).isIn(0, 2);
                assertThat(log).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
                if (readers.get(i).exitValue() == 2) {
                    assertThat(log.strip()).as("one line").startsWith("jobpilot: ").doesNotContain("\n");
                }
            }
        }
    }

    @Test
    void theEmbeddedServerListensOnLoopbackOnly() throws Exception {
        assertThat(serverAddresses()).as("listening sockets on the H2 server's port").isNotEmpty()
                .allMatch(address -> address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F"));
    }

    @Test
    void theEmbeddedServerListensWhereTheUserConfigures() throws Exception {
        // Java listens dual-stack: the wildcard shows as :: in tcp6 (or 0.0.0.0 in tcp)
        assertThat(serverAddresses("--set", "jobpilot.db.server-bind-address=0.0.0.0")).as("every interface").isNotEmpty()
                .allMatch(address -> address.matches("0+"));
    }

    /**
     * The local addresses the H2 server of a `jobpilot run` child listens on. This JVM stays away from the ledger
     * (it watches the sandbox instead), so the child is the process that serves the file.
     */
    private List<String> serverAddresses(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(run(task(60), "bind-a", "200ms")));
        args.addAll(List.of(extra));
        Process a = childJvm("a.log", args.toArray(String[]::new));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.journal().count("GET", MONITOR) >= 2);
            return listeners(serverPort());
        } finally {
            a.destroy();
            finished(a, "a");
        }
    }

    @Test
    void anOptionThatKeepsTheFileToOneProcessRefusesASecondInOneLine() throws Exception {
        String url = dbUrl() + ";AUTO_SERVER=FALSE";
        try (Ledger holder = Ledger.open(url, "sa", "", 2)) {
            Process runs = childJvm("runs.log", "runs", "--set", "jobpilot.db.url=" + url);
            finished(runs, "runs");
            String log = childLog("runs.log");
            assertThat(runs.exitValue()).as(log).isEqualTo(2);
            assertThat(log.strip()).doesNotContain("\n").isEqualTo("jobpilot: the run ledger " + url + ";MAX_COMPACT_TIME=10000 is open in another "
                    + "process that does not share it (jobpilot.db.url sets AUTO_SERVER=FALSE, which keeps the file to one process; remove "
                    + "that option to share the file between the processes of this machine), or use PostgreSQL across machines");
        }
    }

    @Test
    void readOnlyCommandsNeverCreateALedgerNorItsSchema() throws Exception {
        String missing = "no ledger at " + tmp.resolve("ledger.mv.db").toAbsolutePath() + " (jobpilot.db.url); a `jobpilot run` or "
                + "`serve` creates it";
        Cli runs = jobpilot("runs");
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        assertThat(runs.out()).contains("(no runs yet: " + missing + ")");
        Cli show = jobpilot("show", "nothing");
        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err().strip()).isEqualTo("jobpilot: no run 'nothing': " + missing);
        assertThat(tmp.resolve("ledger.mv.db")).as("runs and show create no ledger file").doesNotExist();

        try (var c = java.sql.DriverManager.getConnection(dbUrl(), "sa", "")) {
            assertThat(c).as("an empty database, as a DBA creates one").isNotNull();
        }
        runs = jobpilot("runs");
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        assertThat(runs.out()).contains("(no runs yet)");
        show = jobpilot("show", "nothing");
        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err().strip()).isEqualTo("jobpilot: no run 'nothing' in the ledger (jobpilot runs lists them)");
        try (var c = java.sql.DriverManager.getConnection(dbUrl(), "sa", "");
             var tables = c.getMetaData().getTables(null, "PUBLIC", "%", null)) {
            assertThat(tables.next()).as("no table created by runs or show").isFalse();
        }
    }

    @Test
    void aWritingCommandCreatesOrMigratesTheLedgerThatReadersThenRead() throws Exception {
        assertThat(jobpilot("runs").exitCode()).isZero();
        Cli first = jobpilot(run(task(1), "fresh-1", "20ms"));
        assertThat(first.exitCode()).as("run on no ledger at all creates it: " + first).isZero();
        assertThat(jobpilot("show", "fresh-1").out()).contains("SUCCEEDED");

        Path older = tmp.resolve("older");
        String olderUrl = "jdbc:h2:file:" + older.toAbsolutePath();
        org.flywaydb.core.Flyway.configure().dataSource(olderUrl, "sa", "").target("3").load().migrate();
        Cli migrated = jobpilot(withDb(run(task(1), "older-1", "20ms"), olderUrl));
        assertThat(migrated.exitCode()).as("run on a ledger of an older version migrates it: " + migrated).isZero();
        Cli runs = jobpilot(withDb(new String[]{"runs"}, olderUrl));
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        assertThat(runs.out()).contains("older-1").contains("SUCCEEDED");
        assertThat(org.flywaydb.core.Flyway.configure().dataSource(olderUrl, "sa", "").load().info().pending())
                .as("every migration applied").isEmpty();
    }

    @Test
    void readOnlyCommandsLoadNeitherCamelNorFlyway() throws Exception {
        assertThat(jobpilot(run(task(1), "classes-1", "20ms")).exitCode()).isZero();
        for (String[] args : List.<String[]>of(new String[]{"runs"}, new String[]{"show", "classes-1"})) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load", "-cp", System.getProperty("java.class.path"), "io.jobpilot.cli.JobpilotCommand"));
            cmd.addAll(List.of(withTestProperties(args)));
            Path log = tmp.resolve(args[0] + "-classes.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            finished(p, args[0]);
            String output = Files.readString(log);
            assertThat(p.exitValue()).as(args[0]).isZero();
            assertThat(output).as(args[0] + " read the ledger").contains("classes-1").contains("io.jobpilot.ledger.Ledger ")
                    .doesNotContain("org.apache.camel.").doesNotContain("org.flywaydb.");
        }
    }

    private static String[] withDb(String[] args, String url) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--set", "jobpilot.db.url=" + url));
        return all.toArray(String[]::new);
    }

    @Test
    void readOnlyCommandsRefuseAnOlderSchemaInOneLine() throws Exception {
        org.flywaydb.core.Flyway.configure().dataSource(dbUrl(), "sa", "").target("3").load().migrate();
        for (String[] args : List.<String[]>of(new String[]{"runs"}, new String[]{"show", "x"})) {
            Cli cli = jobpilot(args);
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
            assertThat(cli.err().strip()).doesNotContain("\n").endsWith("has schema version 3, older than this jobpilot's; a "
                    + "`jobpilot run` or `serve` of this version migrates it");
        }
    }

    @Test
    void anInMemoryLedgerIsRefusedByTheCommandLine() {
        for (String[] args : List.of(new String[]{"runs"}, run(task(1), "mem-1", "20ms"))) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--set", "jobpilot.db.url=jdbc:h2:mem:x"));
            Cli cli = jobpilot(all.toArray(String[]::new));
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
            assertThat(cli.err().strip()).doesNotContain("\n")
                    .startsWith("jobpilot: jobpilot.db.url is an in-memory H2 database (jdbc:h2:mem:), which ends with this process");
        }
    }

    @Test
    void aHostJvmExitingWithTheBeansOpenClosesTheLedgerCleanly() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path log = tmp.resolve("host-" + round + ".log");
            Process host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), EmbeddedHostExit.class.getName(), dbUrl())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            finished(host, "host");
            String output = Files.readString(log);
            assertThat(host.exitValue()).as(output).isZero();
            assertThat(output).contains("beans open").doesNotContain("could not release").doesNotContain("already closed")
                    .doesNotContain("WARN");
        }
        Cli runs = jobpilot("runs");
        assertThat(runs.exitCode()).as("the file opens again after the hosts' exits: " + runs).isZero();
    }

    /** The port the serving process wrote into the H2 lock file. */
    private int serverPort() throws IOException {
        Matcher m = LOCK_SERVER.matcher(Files.readString(tmp.resolve("ledger.lock.db")));
        assertThat(m.find()).as("the lock file names the server").isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Local addresses (hex, as the kernel writes them) of the sockets listening on {@code port}. */
    private static List<String> listeners(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(String.format(":%04X", port))) {
                    out.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return out;
    }
}
