package io.jobpilot;

import io.jobpilot.component.JobpilotHeaders;
import io.jobpilot.component.JobpilotRunException;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.RunResult;
import io.jobpilot.runtime.JobpilotBeans;
import io.jobpilot.runtime.JobpilotRoutes;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.apache.camel.support.CamelContextHelper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A host application with its own CamelContext, its own properties and its own routes: jobpilot adds itself as the
 * context starts (nothing to call, no checkout on disk) and the host's routes send to {@code jobpilot:<workflow>}.
 */
class EmbeddedHostTest extends JobpilotTestSupport {

    /** A host context whose properties (as its application.properties would give them) point jobpilot at the simulators. */
    private CamelContext host(Map<String, String> extra, RouteBuilder routes) throws Exception {
        CamelContext host = new DefaultCamelContext();
        Map<String, String> properties = new LinkedHashMap<>(testProperties());
        properties.putAll(extra);
        properties.forEach(host.getPropertiesComponent()::addInitialProperty);
        host.addRoutes(routes);
        return host;
    }

    private static JobpilotBeans beansOf(CamelContext host) {
        return host.getRegistry().lookupByNameAndType(JobpilotRoutes.BEANS, JobpilotBeans.class);
    }

    @Test
    void aHostRouteRunsAWorkflowThroughTheComponentWithItsParametersInTheUri() throws Exception {
        sandbox.oneIntegrate().existingSession("Embedded/Nightly", SessionScript.create().runningPolls(1).task("t", 1234));
        try (CamelContext host = host(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:nightly-check").routeId("host-route")
                        .to("jobpilot:oneintegrate-session?path=Embedded/Nightly&timeout=10m");
                // a host route may have the name of one of jobpilot's own steps
                from("direct:http-send").routeId("http-send").setBody(constant("host's own"));
            }
        })) {
            host.start();
            RunResult result = host.createProducerTemplate().requestBody("direct:nightly-check", null, RunResult.class);

            assertThat(result.outcome()).as(String.valueOf(result.error())).isEqualTo(Outcome.SUCCEEDED);
            assertThat(result.counts().get("reports")).isEqualTo(1234L);
            assertThat(lines(out().resolve(result.runId()).resolve("tasks/t/reports.ndjson"))).hasSize(1234);
            assertThat(beansOf(host).ledger().find(result.runId()).orElseThrow().result().outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(host.createProducerTemplate().requestBody("direct:http-send", null, String.class)).isEqualTo("host's own");
            assertThat(host.getRoutes()).extracting(r -> r.getRouteId()).filteredOn(id -> !id.equals("host-route") && !id.equals("http-send"))
                    .allMatch(id -> id.startsWith("jobpilot-"));
        }
    }

    @Test
    void aMapBodyGivesTheParametersAndHeadersTheRunOptionsAndTheResultMarshalsAsItIs() throws Exception {
        sandbox.oneIntegrate().existingSession("Embedded/Mapped", SessionScript.create().runningPolls(1).task("t", 3));
        try (CamelContext host = host(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:mapped").to("jobpilot:oneintegrate-session").marshal().json(JsonLibrary.Jackson);
            }
        })) {
            host.start();
            String json = host.createProducerTemplate().requestBodyAndHeader("direct:mapped", Map.of("path", "Embedded/Mapped"),
                    JobpilotHeaders.RUN_ID, "host-chosen-id", String.class);

            JsonNode result = new ObjectMapper().readTree(json);
            assertThat(result.path("runId").asText()).isEqualTo("host-chosen-id");
            assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
            assertThat(result.path("startedAt").asText()).as("an ISO-8601 instant").matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        }
    }

    @Test
    void withThrowOnFailureAFailedRunReachesTheHostsErrorHandlingCarryingItsResult() throws Exception {
        sandbox.faults().add(Fault.on("POST", "rest/batch").status(400).always());
        Path batch = tmp.resolve("batch.json");
        Files.writeString(batch, "[{\"Url\":\"Sessions\",\"Method\":\"POST\"}]");
        AtomicReference<RunResult> caught = new AtomicReference<>();
        try (CamelContext host = host(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                onException(JobpilotRunException.class).handled(true)
                        .process(e -> caught.set(e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, JobpilotRunException.class).result()));
                from("direct:batch").to("jobpilot:exago-batch?throwOnFailure=true");
            }
        })) {
            host.start();
            host.createProducerTemplate().requestBody("direct:batch", Map.of("batch", batch.toString()));

            assertThat(caught.get()).as("the host's onException saw the run").isNotNull();
            assertThat(caught.get().outcome()).isEqualTo(Outcome.START_FAILED);
        }
    }

    @Test
    void anUnknownOptionStopsTheHostRouteFromStartingAndNamesTheKnownOnes() throws Exception {
        CamelContext host = host(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:typo").to("jobpilot:iics-job?tsakId=1&taskType=MTT");
            }
        });
        try {
            assertThatThrownBy(host::start).isInstanceOf(FailedToCreateRouteException.class).rootCause()
                    .hasMessageContaining("jobpilot:iics-job: unknown option tsakId").hasMessageContaining("taskId");
        } finally {
            host.close();
        }
    }

    @Test
    void aMapValueThatIsNotTextOrANumberIsAClearErrorAndNothingIsSent() throws Exception {
        try (CamelContext host = host(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad").to("jobpilot:oneintegrate-session");
            }
        })) {
            host.start();
            assertThatThrownBy(() -> host.createProducerTemplate().requestBody("direct:bad", Map.of("path", List.of("a", "b"))))
                    .rootCause().hasMessage("parameter path must be text, a number or a boolean, not a list");
            assertThat(sandbox.journal().all()).isEmpty();
        }
    }

    @Test
    void aScheduleInTheHostsPropertiesRunsItsWorkflowOncePerFire() throws Exception {
        sandbox.oneIntegrate().existingSession("Embedded/Scheduled", SessionScript.create().runningPolls(1).task("t", 2));
        try (CamelContext host = host(Map.of("jobpilot.schedules.nightly.cron", "0/2 * * * * ?",
                "jobpilot.schedules.nightly.workflow", "oneintegrate-session",
                "jobpilot.schedules.nightly.params.path", "Embedded/Scheduled"), new RouteBuilder() {
            @Override
            public void configure() {
            }
        })) {
            host.start();
            assertThat(host.getRoute("jobpilot-schedule-nightly")).as("the schedule's route").isNotNull();
            await().atMost(Duration.ofSeconds(60)).until(() -> beansOf(host).ledger().list(null, null, 10).stream()
                    .anyMatch(r -> r.result().outcome() == Outcome.SUCCEEDED && r.result().runId().startsWith("nightly-")));
        }
        long plays = sandbox.journal().count("POST", "sessions/.+");
        try (var runs = Files.list(out())) {
            assertThat(runs.filter(r -> r.getFileName().toString().startsWith("nightly-")).count()).as("one run per play").isEqualTo(plays);
        }
    }

    @Test
    void jobpilotsSecretSettingsAreMaskedInTheHostsStartupSummary() throws Exception {
        try (CamelContext host = host(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
            }
        })) {
            for (String key : List.of("jobpilot.exago.rest-key", "jobpilot.notify.signing-secret", "jobpilot.server.api-token",
                    "jobpilot.iics.password", "jobpilot.infolink.api-key", "jobpilot.db.password")) {
                assertThat(CamelContextHelper.containsSensitive(host, key)).as(key).isTrue();
            }
        }
    }

    /**
     * httpclient5 answers a 503 by sending the request again by itself unless told not to, and a host application's
     * own {@code http} component is as the host configured it: jobpilot must send through a component of its own.
     */
    @Test
    void aBatchIsSentOnceWhateverTheHostsHttpComponentDoes() throws Exception {
        sandbox.faults().add(Fault.on("POST", "rest/batch").status(503).always());
        Path batch = tmp.resolve("batch.json");
        Files.writeString(batch, "[{\"Url\":\"Sessions\",\"Method\":\"POST\"}]");
        try (CamelContext host = host(Map.of("jobpilot.http.retries", "0"), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:batch").to("jobpilot:exago-batch");
            }
        })) {
            HttpComponent hostHttp = host.getComponent("http", HttpComponent.class);   // the host's own, as it left it
            host.start();
            RunResult result = host.createProducerTemplate().requestBody("direct:batch", Map.of("batch", batch.toString()), RunResult.class);

            assertThat(result.outcome()).isEqualTo(Outcome.START_FAILED);
            assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(1);
            assertThat(hostHttp.isAutomaticRetriesDisabled()).as("the host's http component is left as it was").isFalse();
        }
    }
}
