package io.jobpilot;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.RunResult;
import io.jobpilot.runtime.JobpilotBeans;
import io.jobpilot.runtime.JobpilotRoutes;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A host application with its own CamelContext and its own route adds jobpilot and calls a workflow's direct: endpoint. */
class EmbeddedRoutesTest extends JobpilotTestSupport {

    @Test
    void hostApplicationRunsTheWorkflowThroughItsOwnRoute() throws Exception {
        sandbox.oneIntegrate().existingSession("Embedded/Nightly", SessionScript.create().runningPolls(1).task("t", 1234));
        try (CamelContext host = new DefaultCamelContext()) {
            host.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:nightly-check").routeId("host-route")
                            .setBody(constant(Map.of("path", "Embedded/Nightly")))
                            .to("direct:oneintegrate-session");
                }
            });
            JobpilotBeans beans = JobpilotRoutes.install(host, Path.of("."), JobpilotConfig.of(testProperties()));
            try {
                host.start();
                RunResult result = host.createProducerTemplate().requestBody("direct:nightly-check", null, RunResult.class);

                assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
                assertThat(result.counts().get("reports")).isEqualTo(1234L);
                assertThat(lines(out().resolve(result.runId()).resolve("tasks/t/reports.ndjson"))).hasSize(1234);
                assertThat(beans.ledger().find(result.runId()).orElseThrow().result().outcome()).isEqualTo(Outcome.SUCCEEDED);
                assertThat(sandbox.journal().count("PUT", "sessions/.*")).isZero();
            } finally {
                host.stop();
                beans.close();
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
        Map<String, String> properties = new LinkedHashMap<>(testProperties());
        properties.put("jobpilot.http.retries", "0");
        try (CamelContext host = new DefaultCamelContext()) {
            HttpComponent hostHttp = host.getComponent("http", HttpComponent.class);   // the host's own, as it left it
            JobpilotBeans beans = JobpilotRoutes.install(host, Path.of("."), JobpilotConfig.of(properties));
            try {
                host.start();
                RunResult result = host.createProducerTemplate().requestBody("direct:exago-batch",
                        Map.of("batch", batch.toString()), RunResult.class);

                assertThat(result.outcome()).isEqualTo(Outcome.START_FAILED);
                assertThat(sandbox.journal().count("POST", "rest/batch")).isEqualTo(1);
                assertThat(hostHttp.isAutomaticRetriesDisabled()).as("the host's http component is left as it was").isFalse();
            } finally {
                host.stop();
                beans.close();
            }
        }
    }
}
