package io.jobpilot.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.cli.JobpilotCommand;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Base of the end-to-end tests: one sandbox (the vendor simulators, real HTTP on a free port) per test class, and per
 * test a fresh ledger and output directory. {@link #jobpilot(String...)} runs a command line in this JVM through
 * the real routes in routes/, with poll intervals in milliseconds.
 */
public abstract class JobpilotTestSupport {
    /** Run ids unique in this JVM: a test class's runs share its simulators, and InfoLink takes the run id as its job id. */
    private static final AtomicLong RUN_IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    protected static Sandbox sandbox;

    @TempDir
    protected Path tmp;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.start(0);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.faults().clear();
        sandbox.journal().clear();
    }

    public record Cli(int exitCode, String out, String err) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** Properties every test run gets: the sandbox, a private ledger and output, fast polling. */
    protected Map<String, String> testProperties() {
        Map<String, String> p = new LinkedHashMap<>(sandbox.connectionProperties());
        p.put("jobpilot.db.url", dbUrl());
        p.put("jobpilot.out", out().toString());
        p.put("jobpilot.poll.initial-interval", "20ms");
        p.put("jobpilot.poll.multiplier", "1.5");
        p.put("jobpilot.poll.max-interval", "100ms");
        p.put("jobpilot.http.retry-delay", "20ms");
        p.put("jobpilot.http.retry-max-delay", "200ms");
        p.put("jobpilot.http.response-timeout", "5s");
        p.put("jobpilot.start.reconcile-interval", "50ms");
        return p;
    }

    protected String dbUrl() {
        return "jdbc:h2:file:" + tmp.resolve("ledger").toAbsolutePath() + ";AUTO_SERVER=TRUE";
    }

    protected Path out() {
        return tmp.resolve("runs");
    }

    /** The arguments with --set for every test property placed after the command name. */
    protected String[] withTestProperties(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        List<String> sets = new ArrayList<>();
        testProperties().forEach((k, v) -> {
            sets.add("--set");
            sets.add(k + "=" + v);
        });
        all.addAll(1, sets);
        return all.toArray(String[]::new);
    }

    /** Runs `jobpilot ARGS...` in this JVM (with the test properties) and captures what it printed. */
    protected Cli jobpilot(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = JobpilotCommand.execute(withTestProperties(args), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /** A `jobpilot run` a test made: the run id it gave the run, and what the command printed. */
    public record Ran(String runId, Cli cli) {
        public int exitCode() {
            return cli.exitCode();
        }

        public String out() {
            return cli.out();
        }

        public String err() {
            return cli.err();
        }

        public JsonNode json() {
            return cli.json();
        }

        @Override
        public String toString() {
            return "run " + runId + ": " + cli;
        }
    }

    /** A fresh run id, for a test that needs one before the run (a resume, a second process, a ledger row). */
    protected static String newRunId() {
        return "t" + RUN_IDS.incrementAndGet();
    }

    /** {@code jobpilot run WORKFLOW -p NAME=VALUE... --run-id ID --json OPTIONS...}, built up by a test. */
    protected RunCommand workflow(String workflow) {
        return new RunCommand(workflow);
    }

    /** A 1Integrate session run: the simulator plays {@code script} at {@code path}, where the run PUTs a session. */
    protected RunCommand sessionRun(String path, SessionScript script) throws IOException {
        sandbox.oneIntegrate().script(path, script);
        return workflow("oneintegrate-session").param("path", path).param("session", sessionFile("{\"name\":\"t\"}"));
    }

    /** How the workflow tests start a run: its parameters, its run id (a fresh one unless given) and any other options. */
    protected final class RunCommand {
        private final List<String> args = new ArrayList<>();
        private String runId = newRunId();

        private RunCommand(String workflow) {
            args.addAll(List.of("run", workflow));
        }

        public RunCommand param(String name, Object value) {
            args.addAll(List.of("-p", name + "=" + value));
            return this;
        }

        public RunCommand runId(String id) {
            runId = id;
            return this;
        }

        /** Options and parameters as they are written on the command line: "--timeout", "1s", "-p", "name=value". */
        public RunCommand with(String... options) {
            args.addAll(List.of(options));
            return this;
        }

        public Ran run() {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--run-id", runId, "--json"));
            return new Ran(runId, jobpilot(all.toArray(String[]::new)));
        }
    }

    /**
     * Starts `jobpilot ARGS...` in a separate JVM (with the test properties) against the sandbox and this test's ledger,
     * its stdout and stderr going to {@code log} in the test's directory: a process the test can kill (-9) or pause.
     */
    protected Process childJvm(String log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.jobpilot.cli.JobpilotCommand"));
        cmd.addAll(List.of(withTestProperties(args)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
    }

    /** What a child JVM printed so far. */
    protected String childLog(String log) throws IOException {
        return Files.readString(tmp.resolve(log));
    }

    /** SIGKILL: the process ends at once, without releasing anything. */
    protected static void kill9(Process child) throws InterruptedException {
        child.destroyForcibly();
        if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("process " + child.pid() + " did not die");
        }
    }

    protected Path runDir(String runId) {
        return out().resolve(runId);
    }

    protected JsonNode runJson(String runId) throws IOException {
        return Json.MAPPER.readTree(runDir(runId).resolve("run.json").toFile());
    }

    protected static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file);
    }

    /** A session definition file for -p session=FILE. */
    protected Path sessionFile(String json) throws IOException {
        Path f = tmp.resolve("session-" + System.nanoTime() + ".json");
        Files.writeString(f, json);
        return f;
    }
}
