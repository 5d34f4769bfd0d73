package io.jobpilot.component;

import io.jobpilot.config.Durations;
import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.RunParameters;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.run.UsageException;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs the endpoint's workflow for each message and answers with the RunResult. The run goes through jobpilot's own
 * route (direct:jobpilot-run) on an exchange of its own: the host's headers and properties never reach a vendor call,
 * and jobpilot's never come back.
 */
final class JobpilotProducer extends DefaultProducer {
    private static final Set<Outcome> FAILURES = Set.of(Outcome.FAILED, Outcome.START_FAILED, Outcome.TIMED_OUT);

    private AsyncProcessor run;

    JobpilotProducer(JobpilotEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public JobpilotEndpoint getEndpoint() {
        return (JobpilotEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        Endpoint runs = getEndpoint().getCamelContext().getEndpoint("direct:jobpilot-run");
        run = runs.createAsyncProducer();
        ServiceHelper.startService(run);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(run);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exchange inner = getEndpoint().getCamelContext().getEndpoint("direct:jobpilot-run").createExchange();
        inner.getMessage().setBody(request(exchange));
        run.process(inner);
        if (inner.getException() != null) {
            throw inner.getException();
        }
        RunResult result = inner.getMessage().getBody(RunResult.class);
        exchange.getMessage().setBody(result);
        if (getEndpoint().getConfiguration().isThrowOnFailure() && result != null && FAILURES.contains(result.outcome())) {
            throw new JobpilotRunException(result);
        }
    }

    /** The endpoint's parameters, with a Map body's on top, and the run options from headers over the endpoint's. */
    RunRequest request(Exchange exchange) {
        JobpilotEndpoint endpoint = getEndpoint();
        Map<String, String> params = new LinkedHashMap<>(endpoint.params());
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map<?, ?> map) {
            params.putAll(RunParameters.fromMap(map));
        } else if (body != null && !(body instanceof String text && text.isBlank())) {
            throw new UsageException("jobpilot:" + endpoint.getWorkflow() + " takes its parameters from the URI or a Map body, not a "
                    + body.getClass().getSimpleName());
        }
        JobpilotRunOptions options = endpoint.getConfiguration();
        String timeout = header(exchange, JobpilotHeaders.TIMEOUT, options.getTimeout());
        String onTimeout = header(exchange, JobpilotHeaders.ON_TIMEOUT, options.getOnTimeout());
        Duration deadline = timeout == null ? null : duration(timeout);
        return new RunRequest(endpoint.getWorkflow(), params, header(exchange, JobpilotHeaders.RUN_ID, endpoint.getRunId()), null, deadline,
                onTimeout == null ? OnTimeout.FAIL : OnTimeout.parse(onTimeout), false,
                header(exchange, JobpilotHeaders.NOTIFY_URL, options.getNotifyUrl()));
    }

    private static String header(Exchange exchange, String name, String fallback) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("timeout: " + e.getMessage());
        }
    }
}
