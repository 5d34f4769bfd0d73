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
    @UriPath(description = "The workflow: oneintegrate-session, iics-export, iics-job, exago-batch or infolink-job")
    @Metadata(required = true)
    private final String workflow;
    /** The workflow's parameters from the URI, by their command-line names. */
    private final Map<String, String> params;

    @UriParam(description = "The run's id (a rerun with the same id reports the run as recorded, or resumes it)")
    private String runId;
    @UriParam(description = "The longest the run may take (2h, 90m, 1h30m)")
    private String timeout;
    @UriParam(description = "When the deadline passes: fail, stop or detach", enums = "fail,stop,detach")
    private String onTimeout;
    @UriParam(description = "Where to post the completion notification")
    private String notifyUrl;
    @UriParam(description = "Raise JobpilotRunException when the run ends FAILED, START_FAILED or TIMED_OUT")
    private boolean throwOnFailure;

    JobpilotEndpoint(String uri, JobpilotComponent component, String workflow, Map<String, String> params) {
        super(uri, component);
        this.workflow = workflow;
        this.params = Map.copyOf(params);
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

    public boolean isThrowOnFailure() {
        return throwOnFailure;
    }

    public void setThrowOnFailure(boolean throwOnFailure) {
        this.throwOnFailure = throwOnFailure;
    }
}
