package io.jobpilot.component;

import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.UsageException;
import io.jobpilot.run.WorkflowSpec;
import io.jobpilot.runtime.JobpilotBeans;
import io.jobpilot.runtime.JobpilotRoutes;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code jobpilot:<workflow>?<parameter>=...}: runs a workflow to its end and answers with its RunResult. The
 * workflow's parameters are endpoint options in camelCase ({@code taskId} for the command line's {@code task-id}),
 * or a Map body keyed by the command line's names; the run options (runId, timeout, onTimeout, notifyUrl) are options
 * or headers ({@link JobpilotHeaders}). Component-wide defaults: {@code camel.component.jobpilot.*}.
 */
@Component("jobpilot")
public class JobpilotComponent extends DefaultComponent {
    /** The endpoint's own options; every other option is a workflow parameter. */
    static final List<String> RUN_OPTIONS = List.of("runId", "timeout", "onTimeout", "notifyUrl", "throwOnFailure");

    @Metadata(description = "Raise JobpilotRunException (carrying the RunResult) when a run ends FAILED, START_FAILED or TIMED_OUT")
    private boolean throwOnFailure;
    @Metadata(description = "The longest a run may take (2h, 90m, 1h30m); jobpilot.run.timeout by default")
    private String timeout;
    @Metadata(description = "When the deadline passes: fail (default), stop the remote job, or detach", enums = "fail,stop,detach")
    private String onTimeout;
    @Metadata(description = "Where to post the run's completion notification")
    private String notifyUrl;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WorkflowSpec spec = beans().workflows().require(remaining);
        Map<String, String> params = new LinkedHashMap<>();
        for (String option : List.copyOf(parameters.keySet())) {
            if (RUN_OPTIONS.contains(option)) {
                continue;
            }
            String name = JobpilotEndpoint.parameterName(option);
            if (!spec.parameterNames().contains(name)) {
                throw new UsageException("jobpilot:" + remaining + ": unknown option " + option + " (its parameters: "
                        + String.join(", ", new TreeSet<>(spec.parameterNames().stream().map(JobpilotEndpoint::optionName).toList()))
                        + "; run options: " + String.join(", ", RUN_OPTIONS) + ")");
            }
            params.put(name, String.valueOf(parameters.remove(option)));
        }
        JobpilotEndpoint endpoint = new JobpilotEndpoint(uri, this, spec.name(), params);
        endpoint.setThrowOnFailure(throwOnFailure);
        endpoint.setTimeout(timeout);
        endpoint.setOnTimeout(onTimeout);
        endpoint.setNotifyUrl(notifyUrl);
        setProperties(endpoint, parameters);
        if (endpoint.getOnTimeout() != null) {
            beans().workflows().checkOnTimeout(spec.name(), OnTimeout.parse(endpoint.getOnTimeout()));
        }
        return endpoint;
    }

    JobpilotBeans beans() {
        JobpilotBeans beans = getCamelContext().getRegistry().lookupByNameAndType(JobpilotRoutes.BEANS, JobpilotBeans.class);
        if (beans == null) {
            throw new IllegalStateException("jobpilot is not set up in this CamelContext: it sets itself up as the context "
                    + "starts unless jobpilot.embedded=false (then call JobpilotRoutes.install first)");
        }
        return beans;
    }

    public boolean isThrowOnFailure() {
        return throwOnFailure;
    }

    public void setThrowOnFailure(boolean throwOnFailure) {
        this.throwOnFailure = throwOnFailure;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getOnTimeout() {
        return onTimeout;
    }

    public void setOnTimeout(String onTimeout) {
        this.onTimeout = onTimeout;
    }

    public String getNotifyUrl() {
        return notifyUrl;
    }

    public void setNotifyUrl(String notifyUrl) {
        this.notifyUrl = notifyUrl;
    }
}
