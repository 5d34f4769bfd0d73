package io.jobpilot.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example host as its users run it (camel-main, its application.properties and its YAML route), pointed at the
 * simulators: the workflow runs, the host files the result and then stops after its one message, although jobpilot's
 * notification outbox ticked many times meanwhile.
 */
class NightlyCheckAppTest {
    @TempDir
    Path dir;

    /** The host as its users start it, with what -D or environment variables would add. */
    private Main host(Sandbox sandbox) {
        Main main = new Main(NightlyCheckApp.class);
        sandbox.connectionProperties().forEach(main::addOverrideProperty);
        main.addOverrideProperty("jobpilot.db.url", "jdbc:h2:file:" + dir.resolve("ledger"));
        main.addOverrideProperty("jobpilot.out", dir.resolve("runs").toString());
        main.addOverrideProperty("jobpilot.poll.initial-interval", "200ms");
        main.addOverrideProperty("jobpilot.poll.max-interval", "200ms");
        main.addOverrideProperty("jobpilot.notify.poll-interval", "20ms");
        main.addOverrideProperty("nightly.results-dir", dir.resolve("results").toString());
        return main;
    }

    @Test
    void theHostsRouteRunsTheWorkflowAndStopsAfterItsOwnOneMessage() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            sandbox.oneIntegrate().existingSession("Roads/Nightly", SessionScript.create().runningPolls(3).task("t", 42));
            Main main = host(sandbox);

            assertThat(main.run(new String[0])).isZero();

            JsonNode result = new ObjectMapper().readTree(Files.readString(dir.resolve("results/nightly-check.json")));
            assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
            assertThat(result.path("counts").path("reports").asLong()).isEqualTo(42);
            assertThat(Files.readAllLines(dir.resolve("runs").resolve(result.path("runId").asText()).resolve("tasks/t/reports.ndjson"))).hasSize(42);
            assertThat(sandbox.journal().count("POST", "sessions/.+")).as("played once").isEqualTo(1);
        }
    }

    /** As a user deploys it: its own process, jobpilot's connection and secret given only as JOBPILOT_* variables. */
    @Test
    void jobpilotsSettingsComeFromTheEnvironmentLikeAnyComponentsDo() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            sandbox.oneIntegrate().existingSession("Roads/Nightly", SessionScript.create().runningPolls(1).task("t", 5));
            ProcessBuilder process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Djobpilot.db.url=jdbc:h2:file:" + dir.resolve("ledger"), "-Djobpilot.out=" + dir.resolve("runs"),
                    "-Djobpilot.poll.initial-interval=200ms", "-Dnightly.results-dir=" + dir.resolve("results"),
                    NightlyCheckApp.class.getName()).redirectErrorStream(true).redirectOutput(dir.resolve("host.log").toFile());
            sandbox.connectionProperties().forEach((key, value) -> process.environment().put(key.toUpperCase().replace('.', '_').replace('-', '_'), value));

            Process host = process.start();
            assertThat(host.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("the host stopped after its one message").isTrue();

            String log = Files.readString(dir.resolve("host.log"));
            assertThat(host.exitValue()).as(log).isZero();
            JsonNode result = new ObjectMapper().readTree(Files.readString(dir.resolve("results/nightly-check.json")));
            assertThat(result.path("outcome").asText()).as(log).isEqualTo("SUCCEEDED");
            assertThat(log).as("the password, given in the environment").doesNotContain(sandbox.connectionProperties().get("jobpilot.oneintegrate.password"));
        }
    }

    /** camel.component.jobpilot.* set in the host's properties reach every jobpilot: endpoint, as for any component. */
    @Test
    void aComponentWideThrowOnFailureMakesAFailedRunFailTheHostsExchange() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            sandbox.oneIntegrate().existingSession("Roads/Nightly", SessionScript.create().runningPolls(1).task("t", 1));
            sandbox.faults().add(Fault.on("POST", "sessions/.+").status(400).always());
            Main main = host(sandbox);
            main.addOverrideProperty("camel.component.jobpilot.throw-on-failure", "true");

            main.run(new String[0]);

            assertThat(dir.resolve("results/nightly-check.json")).as("the route stopped at the failed run").doesNotExist();
            try (var runs = Files.list(dir.resolve("runs"))) {
                Path run = runs.findFirst().orElseThrow();
                assertThat(new ObjectMapper().readTree(Files.readString(run.resolve("run.json"))).path("outcome").asText()).isEqualTo("START_FAILED");
            }
        }
    }
}
