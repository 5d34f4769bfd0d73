package io.jobpilot.examples.boot;

import io.jobpilot.run.Outcome;
import io.jobpilot.run.RunResult;
import io.jobpilot.runtime.JobpilotBeans;
import io.jobpilot.runtime.JobpilotRoutes;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.spi.SLF4JServiceProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example host as Spring Boot runs it (its application.properties, its route, camel-spring-boot-starter), pointed
 * at the simulators through Spring's Environment only: nothing but @DynamicPropertySource tells jobpilot where the
 * simulators are or what their credentials are.
 */
@SpringBootTest(properties = {"nightly.timer-enabled=false", "camel.main.run-controller=false", "camel.health.exposure-level=full"})
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext   // the application stops (and closes its ledger) before the temporary folder is removed
class NightlyCheckApplicationTest {
    private static final String SESSION = "Roads/Nightly";
    private static final Sandbox SANDBOX = startSandbox();

    @TempDir
    static Path dir;

    @Autowired
    ProducerTemplate producer;
    @Autowired
    NightlyChecks checks;
    @Autowired
    CamelContext camel;
    @Autowired
    MeterRegistry meters;
    @Autowired
    Map<String, HealthIndicator> indicators;

    @DynamicPropertySource
    static void jobpilotSettings(DynamicPropertyRegistry registry) {
        SANDBOX.connectionProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("jobpilot.db.url", () -> "jdbc:h2:file:" + dir.resolve("ledger"));
        registry.add("jobpilot.out", () -> dir.resolve("runs").toString());
        registry.add("jobpilot.poll.initial-interval", () -> "200ms");
        registry.add("jobpilot.poll.max-interval", () -> "200ms");
    }

    private static Sandbox startSandbox() {
        try {
            return Sandbox.start(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopSandbox() {
        SANDBOX.close();
    }

    @BeforeEach
    void aSessionToCheck() {
        SANDBOX.journal().clear();
        SANDBOX.faults().clear();
        SANDBOX.oneIntegrate().existingSession(SESSION, SessionScript.create().runningPolls(2).task("t", 42));
    }

    private RunResult nightlyCheck() {
        producer.sendBody("direct:nightly-check", null);
        return checks.last().orElseThrow();
    }

    @Test
    void theHostsRouteRunsTheWorkflowToTheEndThroughJobpilot(CapturedOutput output) throws IOException {
        RunResult result = nightlyCheck();

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.counts().get("reports")).isEqualTo(42L);
        assertThat(Files.readAllLines(dir.resolve("runs").resolve(result.runId()).resolve("tasks/t/reports.ndjson"))).hasSize(42);
        assertThat(SANDBOX.journal().count("POST", "sessions/.+")).as("played once").isEqualTo(1);
        assertThat(output.getOut()).as("the host's own INFO line").contains("nightly check " + result.runId() + " ended SUCCEEDED");
    }

    @Test
    void jobpilotsSettingsComeFromSpringsEnvironment() {
        JobpilotBeans beans = camel.getRegistry().lookupByNameAndType(JobpilotRoutes.BEANS, JobpilotBeans.class);

        assertThat(beans.config().get("jobpilot.oneintegrate.base-url"))
                .isEqualTo(SANDBOX.connectionProperties().get("jobpilot.oneintegrate.base-url"))
                .isNotEqualTo("http://127.0.0.1:8089/1Integrate/rest");   // what the host's application.properties says
        assertThat(beans.config().get("jobpilot.oneintegrate.password")).isEqualTo(SANDBOX.connectionProperties().get("jobpilot.oneintegrate.password"));
        assertThat(beans.config().get("jobpilot.out")).isEqualTo(dir.resolve("runs").toString());
    }

    @Test
    void theHostsLoggingIsItsOwnAndShowsNoSecret(CapturedOutput output) {
        RunResult succeeded = nightlyCheck();
        SANDBOX.faults().add(Fault.on("POST", "sessions/.+").status(400).always());
        nightlyCheck();   // errors are logged too: they must not carry credentials either

        assertThat(ServiceLoader.load(SLF4JServiceProvider.class).stream()).as("one SLF4J provider, the host's (logback)").hasSize(1);
        // the application starts within this class's capture, so its start-up lines are in it too
        assertThat(output.getAll()).doesNotContain("multiple SLF4J providers")
                .contains("Started NightlyCheckApplicationTest")
                .containsPattern(" INFO .* nightly-check +: nightly check " + succeeded.runId() + " ended SUCCEEDED");
        for (String secret : new String[] {"jobpilot.oneintegrate.password", "jobpilot.iics.password", "jobpilot.exago.rest-key", "jobpilot.infolink.api-key"}) {
            assertThat(output.getAll()).as(secret).doesNotContain(SANDBOX.connectionProperties().get(secret));
        }
    }

    @Test
    void aFailedRunIsTheHostsToLogNotAStackTraceFromJobpilot(CapturedOutput output) {
        SANDBOX.faults().add(Fault.on("POST", "sessions/.+").status(400).always());
        int before = output.getAll().length();

        assertThat(nightlyCheck().outcome()).isEqualTo(Outcome.START_FAILED);

        assertThat(output.getAll().substring(before)).doesNotContain("Failed delivery").doesNotContain("\tat io.jobpilot");
    }

    @Test
    void aFailedCheckReachesTheHostsOnExceptionWithItsResult() {
        SANDBOX.faults().add(Fault.on("POST", "sessions/.+").status(400).always());
        int failedBefore = checks.failures().size();

        RunResult result = nightlyCheck();

        assertThat(result.outcome()).isEqualTo(Outcome.START_FAILED);
        assertThat(checks.failures()).hasSize(failedBefore + 1).last().isEqualTo(result);
    }

    @Test
    void jobpilotsMetersAreInTheHostsMeterRegistry() {
        double before = succeeded();

        nightlyCheck();

        assertThat(succeeded()).isEqualTo(before + 1);
        assertThat(meters.find("jobpilot.runs.started").tag("workflow", "oneintegrate-session").counter()).isNotNull();
        assertThat(meters.find("jobpilot.polls").counters()).as("status polls").isNotEmpty();
        assertThat(meters.find("jobpilot.runs.in.flight").gauge().value()).as("runs in flight").isZero();
    }

    /** camel-spring-boot's indicator lists every Camel check (with exposure level full, as this test sets it). */
    @Test
    void jobpilotsLedgerCheckIsInSpringBootsHealth() {
        Map<String, Object> camelHealth = indicators.get("camelHealth").health().getDetails();

        assertThat(camelHealth).containsEntry("ledger", "UP");
        assertThat(camelHealth.get("ledger.data")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("check.group", "jobpilot");
    }

    private double succeeded() {
        var counter = meters.find("jobpilot.runs.finished").tag("workflow", "oneintegrate-session").tag("outcome", "SUCCEEDED").counter();
        return counter == null ? 0 : counter.count();
    }
}
