package io.jobpilot.runtime;

import io.jobpilot.callback.CallbackInbox;
import io.jobpilot.callback.CallbackIntake;
import io.jobpilot.callback.CallbackTokens;
import io.jobpilot.callback.CallbackWait;
import io.jobpilot.callback.CallbackWakes;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.http.HttpExchanges;
import io.jobpilot.http.HttpRetries;
import io.jobpilot.http.StartCalls;
import io.jobpilot.ledger.CallbackRecords;
import io.jobpilot.ledger.CrashPoints;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.ledger.LedgerSettings;
import io.jobpilot.ledger.NotifyOutbox;
import io.jobpilot.ledger.RunOwnership;
import io.jobpilot.notify.NotifyFailures;
import io.jobpilot.notify.NotifyProgress;
import io.jobpilot.notify.NotifyRequests;
import io.jobpilot.notify.NotifySchedule;
import io.jobpilot.notify.NotifySigner;
import io.jobpilot.notify.NotifyUrl;
import io.jobpilot.notify.NotifyWaits;
import io.jobpilot.run.Metrics;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunLeases;
import io.jobpilot.run.RunOwner;
import io.jobpilot.run.Runs;
import io.jobpilot.run.StartIntents;
import io.jobpilot.run.Workflows;

import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Every bean the routes refer to, built from the configuration; the same for the command line, serve mode and
 * embedding in another Camel application. Owns the ledger and the two thread pools.
 */
public final class JobpilotBeans implements AutoCloseable {
    private final JobpilotConfig config;
    private final Ledger ledger;
    private final Progress progress;
    private final Workflows workflows;
    private final Runs runs;
    private final RunOwnership ownership;
    private final RunLeases leases;
    private final java.util.concurrent.ScheduledThreadPoolExecutor pollPool;
    private final ExecutorService pagePool;
    private final NotifyOutbox notifyOutbox;
    private final NotifyWaits notifyWaits;
    private final Map<String, Object> beans = new LinkedHashMap<>();

    private final Metrics metrics;

    public JobpilotBeans(JobpilotConfig config, Progress progress) {
        this(config, progress, unpublishedMetrics());
    }

    public JobpilotBeans(JobpilotConfig config, Progress progress, Metrics metrics) {
        this(config, progress, metrics, null);
    }

    /**
     * @param serveNode the serve node's identity (jobpilot.server.node-id), for the long-lived runtime; null for one
     *                  command or embedding, whose runs are held by this process alone
     */
    public JobpilotBeans(JobpilotConfig config, Progress progress, Metrics metrics, String serveNode) {
        this(config, progress, metrics, serveNode, Ledger.open(LedgerSettings.from(config), config.integer("jobpilot.db.pool-size")));
    }

    /**
     * For one command: the ledger opens on a thread of its own ({@link Ledger#openAside}) while the command starts
     * Camel, which needs these beans but not yet the ledger; {@code ledger().awaitOpen()} says how the open ended.
     */
    public static JobpilotBeans forOneCommand(JobpilotConfig config, Progress progress) {
        return new JobpilotBeans(config, progress, unpublishedMetrics(),
                null, Ledger.openAside(LedgerSettings.from(config), config.integer("jobpilot.db.pool-size")));
    }

    /** Counted in this process only: a command or an embedding host that gives no registry of its own. */
    private static Metrics unpublishedMetrics() {
        return new Metrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    private JobpilotBeans(JobpilotConfig config, Progress progress, Metrics metrics, String serveNode, Ledger ledger) {
        this.config = config;
        this.metrics = metrics;
        this.progress = progress;
        Clock clock = Clock.systemUTC();
        this.ledger = ledger;
        ledger.crashAfter(CrashPoints.parse(config.get("jobpilot.test.crash-after")));
        this.workflows = WorkflowCatalog.workflows(config);
        this.ownership = new RunOwnership(ledger);
        this.leases = leases(config, serveNode, ownership, progress);
        this.runs = new Runs(ledger, workflows, progress, Path.of(config.require("jobpilot.out")),
                config.duration("jobpilot.run.timeout"), metrics, leases, NotifyUrl::require);
        this.pollPool = new java.util.concurrent.ScheduledThreadPoolExecutor(config.integer("jobpilot.poll.threads"), named("jobpilot-poll"));
        this.pagePool = Executors.newFixedThreadPool(config.integer("jobpilot.paging.concurrency"), named("jobpilot-page"));
        this.notifyOutbox = new NotifyOutbox(ledger, clock, config.duration("jobpilot.notify.attempt-timeout").multipliedBy(2), 100);
        this.notifyWaits = new NotifyWaits(config.integer("jobpilot.notify.threads"), named("jobpilot-notify"));

        runBeans(clock);
        HttpExchanges http = new HttpExchanges(metrics);
        HttpRetries retries = new HttpRetries(config.integer("jobpilot.http.retries"),
                config.duration("jobpilot.http.retry-delay"), config.duration("jobpilot.http.retry-max-delay"), clock);
        httpBeans(http, retries);
        notifyBeans(clock);
        StartIntents startIntents = startBeans(retries);
        callbackBeans(clock);
        VendorBeans.bindAll(new VendorBeans.Wiring(config, clock, ledger, runs, progress, metrics, http, startIntents), beans::put);
    }

    /** The run itself: ledger, runs, workflows, progress, metrics, the poll policy and the two pools. */
    private void runBeans(Clock clock) {
        beans.put("ledger", ledger);
        beans.put("runs", runs);
        beans.put("workflows", workflows);
        beans.put("progress", progress);
        beans.put("metrics", metrics);
        beans.put("pollPolicy", new PollPolicy(config.duration("jobpilot.poll.initial-interval"),
                config.decimal("jobpilot.poll.multiplier"), config.duration("jobpilot.poll.max-interval"),
                config.duration("jobpilot.poll.unknown-status-grace"), progress, clock, metrics, runs::isDraining));
        beans.put("jobpilotPollPool", pollPool);
        beans.put("jobpilotPagePool", pagePool);
        beans.put("keepOriginal", new UseOriginalAggregationStrategy());
        beans.put("housekeeping", new Housekeeping());
    }

    /** The one HTTP send every vendor call goes through, its answers and its retries. */
    private void httpBeans(HttpExchanges http, HttpRetries retries) {
        beans.put("http", http);
        beans.put("httpAnswer", new io.jobpilot.http.HttpAnswer());
        beans.put(HttpExchanges.COMPONENT, vendorHttpClient(config));
        beans.put("httpRetries", retries);
    }

    /** Remote starts: the intent recorded before a start is sent, and the start call sent at most once. */
    private StartIntents startBeans(HttpRetries retries) {
        StartIntents startIntents = new StartIntents(ledger, progress, config.integer("jobpilot.start.reconcile-looks"),
                config.duration("jobpilot.start.reconcile-interval"));
        beans.put("startIntents", startIntents);
        beans.put("startCalls", new StartCalls(retries));
        return startIntents;
    }

    /** Completion notifications: the outbox, the waits between attempts, signed requests and the give-up schedule. */
    private void notifyBeans(Clock clock) {
        beans.put("notifyOutbox", notifyOutbox);
        beans.put("notifyWaits", notifyWaits);
        beans.put("jobpilotNotifyScheduler", notifyWaits.scheduler());
        beans.put("notifyRequests", new NotifyRequests(new NotifySigner(config.get("jobpilot.notify.signing-secret")),
                config.duration("jobpilot.notify.attempt-timeout")));
        NotifySchedule notifySchedule = new NotifySchedule(config.integer("jobpilot.notify.immediate-attempts"),
                config.duration("jobpilot.notify.initial-backoff"), config.duration("jobpilot.notify.max-backoff"),
                config.duration("jobpilot.notify.give-up-after"));
        NotifyProgress notifyProgress = new NotifyProgress(progress, notifySchedule, clock);
        beans.put("notifyProgress", notifyProgress);
        beans.put("notifyFailures", new NotifyFailures(notifySchedule, notifyOutbox, notifyProgress, clock));
    }

    /** Vendor callbacks: tokens, the intake, and the wait that a callback (or the backstop poll) ends. */
    private void callbackBeans(Clock clock) {
        CallbackRecords callbackRecords = new CallbackRecords(ledger, clock);
        CallbackTokens callbackTokens = new CallbackTokens(config.get("jobpilot.callback.public-url"), callbackRecords);
        CallbackInbox callbackInbox = new CallbackInbox();
        beans.put("callbackTokens", callbackTokens);
        beans.put("callbackInbox", callbackInbox);
        beans.put("callbackWakes", new CallbackWakes(callbackInbox, callbackRecords, leases.owner().token()));
        beans.put("callbackIntake", new CallbackIntake(callbackTokens, callbackRecords, config.integer("jobpilot.callback.max-body")));
        beans.put("callbackWait", new CallbackWait(callbackInbox, callbackRecords, config.duration("jobpilot.callback.tick"),
                config.duration("jobpilot.callback.backstop-interval"), progress, clock));
    }

    /**
     * The HTTP component every vendor call goes through (route http-send), jobpilot's own whoever hosts it, so a host
     * application's {@code http} component and its settings are never touched nor relied on. httpclient5 would
     * otherwise send a request again by itself (on 429/503, or after an I/O error), sleeping the thread out of sight of
     * the redelivery policy and the deadline, and could send a start call twice; redirects are never followed.
     */
    private static HttpComponent vendorHttpClient(JobpilotConfig config) {
        HttpComponent component = new HttpComponent();
        component.setAutomaticRetriesDisabled(true);
        component.setRedirectHandlingDisabled(true);
        component.setFollowRedirects(false);
        component.setMaxTotalConnections(config.integer("jobpilot.http.max-connections"));
        component.setConnectionsPerRoute(config.integer("jobpilot.http.max-connections-per-host"));
        return component;
    }

    /**
     * A serve node's lease is short enough that another node adopts its runs within 30 s of its death (lease plus one
     * adoption scan); a command-line run's may be longer, as its own host sees at once that its process is gone.
     */
    private static RunLeases leases(JobpilotConfig config, String serveNode, RunOwnership ownership, Progress progress) {
        RunOwner me = RunOwner.self(serveNode);
        if (serveNode != null) {
            return new RunLeases(ownership, me, config.duration("jobpilot.serve.lease"),
                    config.duration("jobpilot.serve.lease-renewal"), progress);
        }
        Duration lease = config.duration("jobpilot.run.lease");
        Duration renewal = config.get("jobpilot.run.lease-renewal") == null ? lease.dividedBy(3)
                : config.duration("jobpilot.run.lease-renewal");
        if (renewal.compareTo(lease) >= 0) {
            throw new JobpilotConfig.ConfigException("jobpilot.run.lease-renewal (" + renewal + ") must be shorter than jobpilot.run.lease ("
                    + lease + "), or the lease lapses between renewals");
        }
        return new RunLeases(ownership, me, lease, renewal, progress);
    }

    /** Puts every bean into a Camel registry (Main#bind, or context.getRegistry()::bind). */
    public void bindTo(BiConsumer<String, Object> registry) {
        beans.forEach(registry);
        registry.accept(JobpilotRoutes.BEANS, this);
    }

    /** What must hear of the context's lifecycle: a stopping context ends the notifications' waits at once. */
    public void attachTo(CamelContext context) {
        context.addLifecycleStrategy(notifyWaits);
    }

    /**
     * Values the routes read as placeholders, derived from the configuration: Camel endpoint and redelivery options
     * take milliseconds, while jobpilot's properties are written as durations (500ms, 2s, 5m).
     */
    public Map<String, String> routeProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("jobpilot.internal.http-connect-timeout-ms", ms("jobpilot.http.connect-timeout"));
        p.put("jobpilot.internal.http-response-timeout-ms", ms("jobpilot.http.response-timeout"));
        p.put("jobpilot.internal.infolink-stop-interval-ms", ms("jobpilot.infolink.stop-interval"));
        p.put("jobpilot.infolink.stop-attempts", String.valueOf(config.integer("jobpilot.infolink.stop-attempts")));
        boolean background = config.bool("jobpilot.notify.continue");
        p.put("jobpilot.internal.notify-continue", String.valueOf(background));
        // a process that does not stay up (the command line) waits for the rest of the schedule, unless told not to
        p.put("jobpilot.internal.notify-wait", String.valueOf(!background && config.bool("jobpilot.notify.wait")));
        p.put("jobpilot.internal.notify-poll-ms", ms("jobpilot.notify.poll-interval"));
        p.put("jobpilot.internal.callback-receipt-poll-ms", ms("jobpilot.callback.receipt-poll"));
        return p;
    }

    private String ms(String key) {
        return String.valueOf(config.duration(key).toMillis());
    }

    /** The notifications' waits in this process (the command line's Ctrl-C ends them). */
    public NotifyWaits notifyWaits() {
        return notifyWaits;
    }

    public Metrics metrics() {
        return metrics;
    }

    public Ledger ledger() {
        return ledger;
    }

    public Runs runs() {
        return runs;
    }

    /** The runs this process follows and its leases on them. */
    public RunLeases leases() {
        return leases;
    }

    /** Who holds which run, for serve's adoption of runs nobody follows. */
    public RunOwnership ownership() {
        return ownership;
    }

    public Workflows workflows() {
        return workflows;
    }

    public Progress progress() {
        return progress;
    }

    public JobpilotConfig config() {
        return config;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Shutting down: status checks under way finish; the waits not yet over end at once, so their runs leave the poll
     * loop through the draining path (recorded SUSPENDED, unfinished, resumable) instead of hanging until Camel's timeout.
     */
    public void stopPolling(java.time.Duration grace) {
        java.util.List<Runnable> waiting = new java.util.ArrayList<>();
        pollPool.getQueue().drainTo(waiting);
        pollPool.shutdown();
        pagePool.shutdown();
        try {
            pollPool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            pagePool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiting.forEach(Runnable::run);
    }

    /**
     * Never interrupts: a thread interrupted while H2 writes its file closes the whole embedded database (for the
     * ledger and Quartz alike). Deliveries held by this process are released for the next one; pools are shut down
     * and given a moment to finish.
     */
    @Override
    public void close() {
        leases.close();
        try {
            notifyOutbox.releaseAll();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(JobpilotBeans.class).warn("could not release pending notifications (they are "
                    + "picked up again once their claim lapses): {}", e.getMessage());
        } finally {
            for (java.util.concurrent.ExecutorService pool : java.util.List.of(notifyWaits.scheduler(), pollPool, pagePool)) {
                pool.shutdown();
            }
            try {
                for (java.util.concurrent.ExecutorService pool : java.util.List.of(notifyWaits.scheduler(), pollPool, pagePool)) {
                    pool.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ledger.close();
        }
    }
}
