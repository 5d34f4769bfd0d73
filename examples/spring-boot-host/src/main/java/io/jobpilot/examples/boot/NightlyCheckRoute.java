package io.jobpilot.examples.boot;

import io.jobpilot.component.JobpilotRunException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The host's own routes: once a period (nightly.period), check the road network in 1Integrate through jobpilot and keep
 * the result. A check that does not succeed reaches this route's onException as a JobpilotRunException
 * (throwOnFailure=true), as any other failure of the host's would.
 */
@Component
public class NightlyCheckRoute extends RouteBuilder {
    private final NightlyChecks checks;

    public NightlyCheckRoute(NightlyChecks checks) {
        this.checks = checks;
    }

    @Override
    public void configure() {
        onException(JobpilotRunException.class).handled(true)
                .log(LoggingLevel.ERROR, "nightly check ${exception.result.runId} ended ${exception.result.outcome}")
                .process(e -> checks.failed(e.getProperty(Exchange.EXCEPTION_CAUGHT, JobpilotRunException.class).result()));

        from("timer:nightly-check?period={{nightly.period}}").routeId("nightly-check-timer")
                .autoStartup("{{nightly.timer-enabled}}")
                .to("direct:nightly-check");

        from("direct:nightly-check").routeId("nightly-check")
                .to("jobpilot:oneintegrate-session?path={{nightly.session-path}}&timeout=30m&throwOnFailure=true")
                .log("nightly check ${body.runId} ended ${body.outcome}")
                .bean(checks, "succeeded");
    }
}
