package io.jobpilot.component;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The run options of a {@code jobpilot:} endpoint, the same for every workflow. The component holds the defaults
 * ({@code camel.component.jobpilot.timeout}, ...); each endpoint starts from a copy and its URI overrides them.
 */
@UriParams
public class JobpilotRunOptions implements Cloneable {
    @UriParam(description = "The longest a run may take (2h, 90m, 1h30m); jobpilot.run.timeout by default")
    private String timeout;
    @UriParam(description = "When the deadline passes: fail (TIMED_OUT), stop the remote job (STOPPED) or detach (RUNNING)",
            enums = "fail,stop,detach", defaultValue = "fail")
    private String onTimeout;
    @UriParam(description = "Where to post the run's completion notification (http or https)")
    private String notifyUrl;
    @UriParam(description = "Raise JobpilotRunException (carrying the RunResult) when a run ends FAILED, START_FAILED or TIMED_OUT")
    private boolean throwOnFailure;

    public JobpilotRunOptions copy() {
        try {
            return (JobpilotRunOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
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
