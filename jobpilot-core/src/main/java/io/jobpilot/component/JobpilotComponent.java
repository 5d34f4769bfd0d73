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

    @Metadata(description = "Defaults of the run options for every jobpilot: endpoint")
    private JobpilotRunOptions configuration = new JobpilotRunOptions();

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
        JobpilotEndpoint endpoint = new JobpilotEndpoint(uri, this, spec.name(), params, configuration.copy());
        setProperties(endpoint, parameters);
        if (endpoint.getConfiguration().getOnTimeout() != null) {
            beans().workflows().checkOnTimeout(spec.name(), OnTimeout.parse(endpoint.getConfiguration().getOnTimeout()));
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

    public JobpilotRunOptions getConfiguration() {
        return configuration;
    }

    public void setConfiguration(JobpilotRunOptions configuration) {
        this.configuration = configuration;
    }
}
