package io.jobpilot.component;

/** Headers a message to {@code jobpilot:<workflow>} may carry; each overrides the endpoint option of the same name. */
public final class JobpilotHeaders {
    public static final String RUN_ID = "JobpilotRunId";
    public static final String TIMEOUT = "JobpilotTimeout";
    public static final String ON_TIMEOUT = "JobpilotOnTimeout";
    public static final String NOTIFY_URL = "JobpilotNotifyUrl";

    private JobpilotHeaders() {
    }
}
