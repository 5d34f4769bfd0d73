package io.jobpilot.run;

import org.apache.camel.Exchange;

/**
 * The exchange contract: every exchange property that the routes (jobpilot/routes/*.camel.yaml) and the beans share,
 * with who sets it and who reads it, and typed accessors for the ones the run model owns. A run is one exchange for
 * its whole life, so these properties are its working state (never headers: they would leak into vendor calls).
 * The YAML spells the same names ({@code ${exchangeProperty.run.runId}}, {@code setProperty: {name: statusCheck}}).
 * Properties one bean keeps for itself between two of its own calls stay private to that bean.
 *
 * <p>The run
 * <ul>
 *   <li>{@value #WORKFLOW}: set by each workflow's entry route ({@code jobpilot-<workflow>}); read by Runs.begin.</li>
 *   <li>{@value #RUN}: the {@link Run}; set by Runs.begin / beginStop; read by every bean and route.</li>
 * </ul>
 * One HTTP call (routes jobpilot-http-send, jobpilot-http-call and the vendors' *-call routes)
 * <ul>
 *   <li>{@value #REQUEST}: the call to send ({@code io.jobpilot.http.VendorRequest}); set by the vendor beans'
 *       {@code *Request} methods; read by HttpExchanges and, as a {@link RemoteCall}, by the run's own code.</li>
 *   <li>{@value #RESPONSE}: the answer ({@code io.jobpilot.http.VendorResponse}); set by HttpExchanges.capture; read
 *       by the vendor beans and the {@code *-call} routes.</li>
 *   <li>{@value #HTTP_CONNECT_TIMEOUT_MS}, {@value #HTTP_RESPONSE_TIMEOUT_MS}: set by HttpExchanges.prepare; read by
 *       route jobpilot-http-call.</li>
 * </ul>
 * The poll loop (route jobpilot-poll-until-done, PollPolicy)
 * <ul>
 *   <li>{@value #STATUS_CHECK}: the route that reads the status once; set by the workflow's wait route.</li>
 *   <li>{@value #REMOTE}: the {@link RemoteStatus} read; set by the vendor bean's status reader; read by PollPolicy
 *       and by the bean that judges the end.</li>
 *   <li>{@value #POLL}: the {@link PollState}; set by PollPolicy.start; read by the loop's predicate and delay.</li>
 *   <li>{@value #POLL_DEADLINE}, {@value #POLL_INTERVAL}: optional; set by a vendor bean (a stop's confirmation,
 *       CallbackWait); read by PollPolicy.start; route jobpilot-confirm-stop removes a stop's.</li>
 *   <li>{@value #POLL_AT_ONCE}: optional; the first check comes at once, not after the first wait; set by a stop
 *       whose check sends the stop itself (InfoLinkApi.stopping).</li>
 *   <li>{@value #POLL_QUIET}: set by a status check that read nothing this time (CallbackWait); read by PollPolicy.</li>
 *   <li>{@value #STOPPING}: true while a stop is confirmed with the loop; set and removed by route
 *       jobpilot-confirm-stop (PollPolicy); read by the loop (no second stop, at the deadline or on request) and
 *       CallbackWait (a stop's check always reads).</li>
 *   <li>{@value #STOP_DESCRIPTION}: what the stop did; set by the workflow's stop bean; read by PollPolicy and Runs.</li>
 *   <li>{@value #STOP_CONFIRM_ERROR}: why a stop could not be confirmed; set by route jobpilot-confirm-stop; read and
 *       removed by the workflow's stop bean.</li>
 * </ul>
 * Exactly-once starts (routes jobpilot-start-call, jobpilot-retried-call, jobpilot-reconcile-start, StartIntents)
 * <ul>
 *   <li>{@value #START}, {@value #START_DETAIL}, {@value #VENDOR_CALL}: set by the vendor bean before
 *       jobpilot-start-call (or jobpilot-retried-call, {@value #VENDOR_CALL} only).</li>
 *   <li>{@value #START_ANSWER_LOST}: set by StartIntents; read by the workflows' start routes.</li>
 *   <li>{@value #START_CHECK}: the vendor's route that looks once for an interrupted start; {@value #START_VERDICT}:
 *       what it saw; set by the vendor bean; read by StartIntents.</li>
 * </ul>
 * Vendor routes
 * <ul>
 *   <li>{@value #TASK_ID}: the 1Integrate task being collected; set by the split in collect-results.</li>
 *   <li>{@value #REPLAY}: paused-means=continue reached a Pause task; set by OneIntegrateApi.readStatus.</li>
 *   <li>{@value #FINAL_ANSWER}: InfoLink's terminal answer, with the results; set by InfoLinkApi.</li>
 *   <li>{@value #CALLBACK}: an IICS callback notice; set by CallbackIntake.check; read by the intake route.</li>
 *   <li>{@value #DELIVERY}, {@value #NOTIFY_FOREGROUND}, {@value #NOTIFY_IMMEDIATE_ONLY}: a completion notification
 *       being delivered (routes jobpilot-notify-*); set by the notify routes; read by the notify beans.</li>
 *   <li>{@value #SCHEDULE}: the schedule that fired; set by the schedule route template; read by ScheduleFires.</li>
 * </ul>
 */
public final class RunExchange {
    public static final String WORKFLOW = "workflow";
    public static final String RUN = "run";

    public static final String REQUEST = RemoteCall.PROPERTY;
    public static final String RESPONSE = "response";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "httpConnectTimeoutMs";
    public static final String HTTP_RESPONSE_TIMEOUT_MS = "httpResponseTimeoutMs";

    public static final String STATUS_CHECK = "statusCheck";
    public static final String REMOTE = "remote";
    public static final String POLL = "poll";
    public static final String POLL_DEADLINE = "pollDeadline";
    public static final String POLL_INTERVAL = "pollInterval";
    public static final String POLL_QUIET = "pollQuiet";
    public static final String POLL_AT_ONCE = "pollAtOnce";
    public static final String STOPPING = "stopping";
    public static final String STOP_DESCRIPTION = "stopDescription";
    public static final String STOP_CONFIRM_ERROR = "stopConfirmError";

    public static final String START = "start";
    public static final String START_DETAIL = "startDetail";
    public static final String VENDOR_CALL = "vendorCall";
    public static final String START_ANSWER_LOST = "startAnswerLost";
    public static final String START_CHECK = "startCheck";
    public static final String START_VERDICT = "startVerdict";

    public static final String TASK_ID = "taskId";
    public static final String REPLAY = "replay";
    public static final String FINAL_ANSWER = "finalAnswer";
    public static final String CALLBACK = "callback";
    public static final String DELIVERY = "delivery";
    public static final String NOTIFY_FOREGROUND = "notifyForeground";
    public static final String NOTIFY_IMMEDIATE_ONLY = "notifyImmediateOnly";
    public static final String SCHEDULE = "schedule";

    private RunExchange() {
    }

    /** The run this exchange carries (null before Runs.begin). */
    public static Run run(Exchange e) {
        return e.getProperty(RUN, Run.class);
    }

    public static void run(Exchange e, Run run) {
        e.setProperty(RUN, run);
    }

    public static String workflow(Exchange e) {
        return e.getProperty(WORKFLOW, String.class);
    }

    /** The latest status reading of the remote job (null before the first). */
    public static RemoteStatus remote(Exchange e) {
        return e.getProperty(REMOTE, RemoteStatus.class);
    }

    public static void remote(Exchange e, RemoteStatus status) {
        e.setProperty(REMOTE, status);
    }

    public static PollState poll(Exchange e) {
        return e.getProperty(POLL, PollState.class);
    }

    /** What the workflow's stop did, or {@code fallback} when it said nothing. */
    public static String stopDescription(Exchange e, String fallback) {
        return e.getProperty(STOP_DESCRIPTION, fallback, String.class);
    }

    public static void describeStop(Exchange e, String description) {
        e.setProperty(STOP_DESCRIPTION, description);
    }

    /** The task a 1Integrate collection step is working on. */
    public static String taskId(Exchange e) {
        return e.getProperty(TASK_ID, String.class);
    }

    /** A flag property: true only when set to true. */
    public static boolean flag(Exchange e, String name) {
        return Boolean.TRUE.equals(e.getProperty(name, Boolean.class));
    }
}
