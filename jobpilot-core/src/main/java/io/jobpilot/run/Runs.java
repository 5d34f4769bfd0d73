package io.jobpilot.run;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Beginning and ending runs, for the shared {@code jobpilot-run} route: validate, record the intent (or reload a run
 * the ledger already has, to resume it), and at the end classify what happened, write run.json and the ledger.
 */
public final class Runs {
    private static final Logger LOG = LoggerFactory.getLogger(Runs.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final RunLedger ledger;
    private final Workflows workflows;
    private final Progress progress;
    private final Path defaultOut;
    private final Duration defaultTimeout;
    private final Metrics metrics;
    private final RunLeases leases;
    private final NotifyUrlCheck notifyUrlCheck;
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();

    public Runs(RunLedger ledger, Workflows workflows, Progress progress, Path defaultOut, Duration defaultTimeout, Metrics metrics,
                RunLeases leases, NotifyUrlCheck notifyUrlCheck) {
        this.metrics = metrics;
        this.leases = leases;
        this.notifyUrlCheck = notifyUrlCheck;
        this.ledger = ledger;
        this.workflows = workflows;
        this.progress = progress;
        this.defaultOut = defaultOut;
        this.defaultTimeout = defaultTimeout;
    }

    public Workflows workflows() {
        return workflows;
    }

    /**
     * The body is a {@link RunRequest}, or (embedded use) a Map of parameters with the workflow in property
     * {@code workflow}. Validation errors propagate as {@link UsageException} before anything is recorded or sent.
     */
    public Run begin(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Run opened) {
            RunExchange.run(exchange, opened);
            entered(exchange, opened);
            return opened;
        }
        RunRequest request;
        if (body instanceof RunRequest r) {
            request = r;
        } else if (body instanceof Map<?, ?> m) {
            request = RunRequest.of(RunExchange.workflow(exchange), RunParameters.fromMap(m));
        } else {
            throw new UsageException("a jobpilot workflow expects a RunRequest or a Map of parameters as the message body, not "
                    + (body == null ? "nothing" : body.getClass().getName()));
        }
        Run run = open(request);
        RunExchange.run(exchange, run);
        entered(exchange, run);
        return run;
    }

    /**
     * Counts the run in flight until its end, or until its exchange ends without one (an error its end could not
     * record, such as a ledger write that failed): a gauge that only its end took down would count such a run forever.
     * Such a run is also let go (see {@link RunLeases#abandon}), or this live process would hold it unended for good.
     */
    private void entered(Exchange exchange, Run run) {
        if (run.outcome() == null && run.countInFlight()) {
            metrics.runEntered();
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    left(run);
                    if (!draining.get()) {       // a shutdown releases every run of this process at once
                        leases.abandon(run);     // unless its end was recorded (which stopped following it)
                    }
                }
            });
        }
    }

    private void left(Run run) {
        if (run.uncountInFlight()) {
            metrics.runLeft();
        }
    }

    /** Validates and records a new run (or reloads an existing one) without running it: the caller starts it. */
    public Run open(RunRequest request, RunOrigin origin) {
        if (request.runId() != null && ledger.find(request.runId()).isPresent()) {
            return open(request);
        }
        workflows.validate(request);
        return open(request, origin, true);
    }

    Run open(RunRequest request) {
        return open(request, leases.cli(), false);
    }

    private Run open(RunRequest request, RunOrigin origin, boolean validated) {
        if (request.runId() != null) {
            var existing = ledger.find(request.runId());
            if (existing.isPresent()) {
                return reopen(existing.get(), request);
            }
            if (request.workflow() == null) {
                throw new UsageException("no run '" + request.runId() + "' in the ledger to resume (jobpilot runs lists them)");
            }
            validateRunId(request.runId());
        }
        if (!validated) {
            workflows.validate(request);
        }
        if (request.notifyUrl() != null) {
            notifyUrlCheck.require(request.notifyUrl());
        }
        String runId = request.runId() != null ? request.runId() : newRunId(request.workflow());
        Path out = request.outDir() != null ? request.outDir() : defaultOut;
        Duration timeout = request.timeout() != null ? request.timeout() : defaultTimeout;
        Run run = new Run(request.withRunId(runId).withOutDir(out), runId, out.toAbsolutePath().resolve(runId), Instant.now(),
                timeout, false);
        createDir(run.dir());
        run.origin(origin);
        try {
            ledger.insert(run);
        } catch (RunLedger.AlreadyRecorded e) {
            // another process inserted this run id a moment ago: the same answer as for a run it already follows
            return reopen(ledger.find(runId).orElseThrow(() -> e), request);
        }
        leases.follow(run);
        metrics.runStarted(run.workflow());
        progress.say(run, "started " + request.workflow() + " (artifacts in " + run.dir() + ")");
        return run;
    }

    /**
     * A run the ledger already has: an unfinished one is resumed, once this process holds it (RunOwnedElsewhere, exit
     * 2, while another live process follows it); an ended one is reported as it is.
     */
    private Run reopen(LedgerRun stored, RunRequest request) {
        Run run = restore(stored, request);
        if (run.outcome() != null) {
            return run;
        }
        workflows.checkOnTimeout(run.workflow(), run.onTimeout());
        leases.take(run);
        createDir(run.dir());
        if (stored.result().outcome() != null) {      // an uncertain start: asked about again (or sent, with --restart-start)
            ledger.reopen(run, "resumed after an uncertain start; done before: " + String.join(", ", stored.steps()));
        } else {
            ledger.state(run, RunState.RESUMED, "resumed; done before: " + String.join(", ", stored.steps()));
        }
        progress.say(run, "resuming " + run.workflow() + " (done before: " + (stored.steps().isEmpty() ? "nothing"
                : String.join(", ", stored.steps())) + ")");
        return run;
    }

    /** The run as the ledger recorded it: steps done, remote ids, counts, warnings, artifacts, and its outcome if it ended. */
    private Run restore(LedgerRun stored, RunRequest request) {
        RunResult r = stored.result();
        if (request.workflow() != null && !request.workflow().equals(r.workflow())) {
            throw new UsageException("run " + r.runId() + " exists already and belongs to workflow " + r.workflow()
                    + ", not " + request.workflow());
        }
        var s = stored.request();
        Map<String, String> params = s.params();
        Duration timeout = request.timeout() != null ? request.timeout()
                : s.timeoutMs() != null ? Duration.ofMillis(s.timeoutMs()) : defaultTimeout;
        Path out = request.outDir() != null ? request.outDir() : Path.of(s.outDir());
        OnTimeout onTimeout = request.timeout() != null || s.onTimeout() == null ? request.onTimeout() : OnTimeout.valueOf(s.onTimeout());
        RunRequest resumed = new RunRequest(r.workflow(), params, r.runId(), out, timeout, onTimeout, request.noWait(),
                request.notifyUrl() != null ? request.notifyUrl() : s.notifyUrl());
        Run run = new Run(resumed, r.runId(), out.toAbsolutePath().resolve(r.runId()), r.startedAt(), timeout, true);
        stored.steps().forEach(run::markDone);
        stored.stepRecords().forEach(run::stepDetail);
        r.remoteIds().forEach(run::remoteId);
        r.counts().forEach(run::count);
        r.warnings().forEach(run::warn);
        r.artifacts().forEach(run::artifact);
        if (r.outcome() != null && r.outcome().isFinal() && !endedUncertain(r)) {
            run.end(r.outcome(), r.error());
        }
        return run;
    }

    /** A run that ended because its start could not be reconciled stays resumable: resume asks the vendor again. */
    private static boolean endedUncertain(RunResult r) {
        return r.error() != null && r.error().kind() == ErrorKind.UNCERTAIN_START;
    }

    /**
     * {@code jobpilot resume RUN_ID --restart-start}: the user has checked that the vendor did not act on the run's
     * interrupted start, so its intent is taken back and the resume sends it once more. Only for a run that ended with
     * an uncertain start: any other run is reconciled (or has nothing to send).
     */
    public void restartStart(String runId) {
        LedgerRun stored = ledger.find(runId).orElseThrow(() -> new UsageException("no run '" + runId
                + "' in the ledger (jobpilot runs lists them)"));
        if (!endedUncertain(stored.result())) {
            throw new UsageException("--restart-start is only for a run that ended with an uncertain start (error kind "
                    + ErrorKind.UNCERTAIN_START + "); run " + runId + " " + (stored.result().outcome() == null
                    ? "has not ended: `jobpilot resume " + runId + "` asks the vendor what became of its start"
                    : "ended " + stored.result().outcome()));
        }
        Run run = restore(stored, new RunRequest(stored.result().workflow(), Map.of(), runId, null, null, null, false, null));
        stored.steps().stream().filter(RemoteStart::isIntent).forEach(step -> ledger.forgetStep(run, step));
        ledger.state(run, RunState.RESTARTING, "the user asked for the interrupted start to be sent again (--restart-start)");
    }

    /**
     * For {@code direct:jobpilot-stop} ({@code jobpilot stop RUN_ID}; the body is the run id): the run must exist, have
     * started a remote job and not have ended, and its workflow must have a {@code <workflow>-stop} route.
     */
    public Run beginStop(Exchange exchange) {
        String runId = exchange.getMessage().getBody(String.class);
        LedgerRun stored = runId == null ? null : ledger.find(runId).orElse(null);
        if (stored == null) {
            throw new UsageException("no run '" + runId + "' in the ledger (jobpilot runs lists them)");
        }
        String workflow = stored.result().workflow();
        Run run = restore(stored, new RunRequest(workflow, Map.of(), runId, null, null, OnTimeout.FAIL, false, null));
        if (run.outcome() != null) {
            throw new UsageException("run " + runId + " has already ended " + run.outcome() + "; there is nothing to stop");
        }
        String notStoppable = whyNotStoppable(exchange.getContext(), stored);
        if (notStoppable != null) {
            throw new UsageException(notStoppable);
        }
        progress.say(run, "stopping the remote job of " + workflow);
        RunExchange.run(exchange, run);
        return run;
    }

    /**
     * Why an unended recorded run cannot have its remote job stopped now, or null when it can: it must have started
     * one, and its workflow must have a {@code <workflow>-stop} route ({@code jobpilot stop} and serve's API both ask).
     */
    public static String whyNotStoppable(CamelContext context, LedgerRun stored) {
        String workflow = stored.result().workflow();
        if (!stored.steps().contains("started")) {
            return "run " + stored.result().runId() + " has not started a remote job yet; there is nothing to stop";
        }
        if (context.getRoute("jobpilot-" + workflow + "-stop") == null) {
            return workflow + " runs cannot be stopped: the vendor's API offers no way to stop their remote work";
        }
        return null;
    }

    /** After the workflow's stop route: the run ends STOPPED, with what the stop route said in {@code stopDescription}. */
    public void stopped(Exchange exchange) {
        Run run = RunExchange.run(exchange);
        finish(run, Outcome.STOPPED, new RunError(ErrorKind.REMOTE_JOB, "stop", null, "stopped by jobpilot stop: "
                + RunExchange.stopDescription(exchange, "the remote job was asked to stop")), true);
    }

    /** For routes: true for a run that had already ended before this call (nothing to do but report it). */
    public boolean alreadyEnded(Exchange exchange) {
        Run run = RunExchange.run(exchange);
        return run.outcome() != null;
    }

    /** The remote job is running: from here a failure is FAILED, not START_FAILED. */
    public void started(Run run, String detail) {
        ledger.together(() -> {
            ledger.stepDone(run, "started");
            ledger.state(run, RunState.RUNNING, detail);
        });
        progress.say(run, detail);
    }

    /** The remote job has ended and its results are being collected (each workflow's collect step says so first). */
    public void collecting(Run run, String detail) {
        ledger.state(run, RunState.COLLECTING, detail);
    }

    /** The workflow's procedure ran to the end: SUCCEEDED, or WARNING when it recorded row or task errors. */
    public void completed(Exchange exchange) {
        Run run = RunExchange.run(exchange);
        RunError warning = run.completionWarning();
        finish(run, warning == null ? Outcome.SUCCEEDED : Outcome.WARNING, warning, true);
    }

    /** The runtime is shutting down: runs are left unfinished (resumable) instead of ending on the errors that follow. */
    public void drain() {
        draining.set(true);
    }

    public boolean isDraining() {
        return draining.get();
    }

    /** Something threw: classify it into an outcome and a user-facing error. */
    public void failed(Exchange exchange) {
        Run run = RunExchange.run(exchange);
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the failure is handled here: an error handler it passed on its way (a start's retries) marked the exchange, and
        // the marks would keep the error handlers of what follows on it (its completion notification) from handling theirs
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        exchange.getExchangeExtension().setErrorHandlerHandled(null);
        if (draining.get()) {
            left(run);
            ledger.state(run, RunState.SUSPENDED, "runtime shut down; the run will be resumed by the next start");
            progress.ended(run, "left unfinished for the next start (runtime shutting down)");
            return;
        }
        while (t != null && !(t instanceof RunFailure) && !(t instanceof IOException) && t.getCause() != null
                && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof UsageException usage) {
            // a mistake found only by asking the vendor (an IICS task path that does not exist): the run is recorded as
            // not started, and the caller gets the usage error itself (one line, exit 2), as for one found before it began
            finish(run, Outcome.START_FAILED, new RunError(ErrorKind.USAGE, null, null, Secrets.scrub(usage.getMessage())), false);
            throw usage;
        }
        RunError error;
        Outcome outcome;
        if (t instanceof RunFailure f) {
            error = new RunError(f.kind(), f.step(), f.vendorCode(), Secrets.scrub(f.getMessage()));
            outcome = f.outcome();
        } else if (t instanceof IOException io) {
            RemoteCall request = exchange.getProperty(RemoteCall.PROPERTY, RemoteCall.class);
            error = new RunError(ErrorKind.TRANSIENT, request == null ? null : request.step(), null, describeIo(io, request));
            outcome = Outcome.FAILED;
        } else {
            LOG.error("run {} hit an unexpected error", run.runId(), t);
            error = new RunError(ErrorKind.INTERNAL, null, null, "unexpected error: " + (t == null ? "unknown"
                    : Secrets.scrub(String.valueOf(t))) + " (see the log)");
            outcome = Outcome.FAILED;
        }
        if (outcome == Outcome.FAILED && !run.done("started") && error.kind() != ErrorKind.REMOTE_JOB
                && error.kind() != ErrorKind.UNCERTAIN_START) {
            outcome = Outcome.START_FAILED;
        }
        if (outcome == Outcome.RUNNING) {
            run.warn(error.message());
            error = null;
        }
        finish(run, outcome, error, true);
    }

    /** Names the vendor, the step and the URL that could not be reached, so the user knows which setting to check. */
    public static String describeIo(IOException io, RemoteCall request) {
        String what = io instanceof ConnectException ? "connection refused"
                : io instanceof SocketTimeoutException ? "no answer in time (" + io.getMessage() + ")"
                : io instanceof UnknownHostException ? "unknown host " + io.getMessage()
                : io.getClass().getSimpleName() + ": " + io.getMessage();
        String where = request == null ? "network error" : request.vendor() + " could not be reached at step '" + request.step()
                + "' (" + request + ")";
        return Secrets.scrub(where + ": " + what) + " (check the connection's base URL setting and that the server is up)";
    }

    /**
     * The run's end, recorded only while this process still holds the run (else it is left to its new owner): asked
     * before run.json is written, and made sure of by the ledger's fenced end.
     */
    /** @param say whether the end is a progress line (a usage error is said by the caller, once) */
    private void finish(Run run, Outcome outcome, RunError error, boolean say) {
        if (!run.checkHeld() || !leases.stillHolds(run)) {
            leaveToNewOwner(run);
            return;
        }
        run.end(outcome, error);
        writeRunJson(run);
        try {
            ledger.finish(run, leases.fence(run));
        } catch (RunTakenOver e) {
            run.lostTo(e.getMessage());
            leaveToNewOwner(run);
            return;
        }
        leases.unfollow(run);
        metrics.runFinished(run.workflow(), outcome);
        left(run);
        if (say) {
            progress.ended(run, "ended " + outcome + (error == null ? "" : ": " + error.message()));
        } else {
            progress.notWaiting(run);
        }
    }

    /**
     * A run another process took over or ended (`jobpilot stop`): this one records nothing more for it, and reports
     * the outcome the ledger has, or RUNNING (followed elsewhere).
     */
    private void leaveToNewOwner(Run run) {
        leases.unfollow(run);
        left(run);
        RunResult recorded = ledger.find(run.runId()).map(LedgerRun::result).filter(r -> r.outcome() != null).orElse(null);
        if (recorded != null) {
            run.end(recorded.outcome(), recorded.error());
            progress.ended(run, "ended " + recorded.outcome() + ", as another process recorded it");
        } else {
            run.warn(run.lostTo());
            run.end(Outcome.RUNNING, null);
            progress.ended(run, "left to its new owner; this process recorded nothing for it");
        }
    }

    /** The body becomes the RunResult, with where its completion notification stands. */
    public RunResult result(Exchange exchange) {
        Run run = RunExchange.run(exchange);
        RunResult result = run.toResult().withNotification(ledger.notification(run.runId()).orElse(null));
        exchange.getMessage().setBody(result);
        return result;
    }

    private void writeRunJson(Run run) {
        run.artifact("run.json");
        Path target = run.file("run.json");
        try {
            Artifacts.write(target, Json.pretty(run.toResult()));
        } catch (IOException e) {
            LOG.error("cannot write {}: {}", target, e.getMessage());
        }
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UsageException("cannot create the run directory " + dir + ": " + e.getMessage());
        }
    }

    /** Where a run with this id writes when the request names no output directory (the API's runs). */
    public Path runDir(String runId) {
        return defaultOut.toAbsolutePath().resolve(runId);
    }

    public static void validateRunId(String id) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new UsageException("--run-id '" + id + "' must be 1-128 letters, digits, '.', '_' or '-' (it names a directory)");
        }
    }

    public static String newRunId(String workflow) {
        return workflow + "-" + LocalDateTime.now().format(ID_TIME) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    }
}
