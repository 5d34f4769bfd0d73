package io.jobpilot.component;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.util.Locale;
import java.util.Map;

/** One workflow with the parameters its URI gives; see {@link JobpilotComponent}. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "jobpilot", title = "jobpilot", syntax = "jobpilot:workflow", producerOnly = true,
        category = {Category.WORKFLOW}, headersClass = JobpilotHeaders.class)
public class JobpilotEndpoint extends DefaultEndpoint {
    @UriPath(description = "The workflow: oneintegrate-session, iics-export, iics-import, iics-job, iics-taskflow, exago-batch or infolink-job")
    @Metadata(required = true)
    private final String workflow;
    /** The workflow's parameters from the URI, by their command-line names. */
    private final Map<String, String> params;

    @UriParam(description = "The run's id (a rerun with the same id reports the run as recorded, or resumes it)")
    private String runId;
    @UriParam
    private final JobpilotRunOptions configuration;

    JobpilotEndpoint(String uri, JobpilotComponent component, String workflow, Map<String, String> params, JobpilotRunOptions configuration) {
        super(uri, component);
        this.workflow = workflow;
        this.params = Map.copyOf(params);
        this.configuration = configuration;
    }

    /** taskId → task-id: an endpoint option's name as the command line's parameter name. */
    static String parameterName(String option) {
        return option.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** task-id → taskId. */
    static String optionName(String parameter) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : parameter.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    @Override
    public Producer createProducer() {
        return new JobpilotProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("jobpilot: endpoints only run workflows (use them in to(...))");
    }

    @Override
    public JobpilotComponent getComponent() {
        return (JobpilotComponent) super.getComponent();
    }

    public String getWorkflow() {
        return workflow;
    }

    Map<String, String> params() {
        return params;
    }

    public String getRunId() {
        return runId;
    }

    public void setRunId(String runId) {
        this.runId = runId;
    }

    public JobpilotRunOptions getConfiguration() {
        return configuration;
    }
}
