package io.jobpilot.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A run in progress: the request, where its artifacts go, and what is known so far. Routes carry it in the
 * exchange property {@code run}; every change that matters is also written to the ledger ({@link RunLedger}).
 */
public final class Run {
    private final RunRequest request;
    private final String runId;
    private final Path dir;
    private final Instant startedAt;
    private final Instant deadline;
    private final boolean resumed;
    private final Set<String> completedSteps = ConcurrentHashMap.newKeySet();
    private final Map<String, StepRecord> stepRecords = new ConcurrentHashMap<>();
    private final Map<String, String> remoteIds = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Object> counts = Collections.synchronizedMap(new TreeMap<>());
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Set<String> artifacts = new ConcurrentSkipListSet<>();
    private volatile String state = RunState.PENDING.name();
    private volatile Outcome outcome;
    private volatile RunError error;
    private volatile Instant finishedAt;
    private volatile RunError warning;
    private volatile RunOrigin origin = RunOrigin.cli(null, null);
    private volatile String lostTo;
    private volatile Instant heldUntil;
    private volatile java.util.function.BooleanSupplier recheckHold;
    private volatile String stopReason;
    private final java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean();

    public Run(RunRequest request, String runId, Path dir, Instant startedAt, Duration timeout, boolean resumed) {
        this.request = request;
        this.runId = runId;
        this.dir = dir;
        this.startedAt = startedAt;
        this.deadline = Instant.now().plus(timeout);
        this.resumed = resumed;
    }

    /** Counts the run among those in flight; false when it is counted already (one run, one count). */
    boolean countInFlight() {
        return counted.compareAndSet(false, true);
    }

    /** Takes the run out of the count; false when it was not in it (its end and its exchange's end both ask). */
    boolean uncountInFlight() {
        return counted.compareAndSet(true, false);
    }

    /** Asks the poll loop to stop the remote job at its next turn and end the run STOPPED. */
    public void requestStop(String reason) {
        this.stopReason = reason;
    }

    public boolean isStopRequested() {
        return stopReason != null;
    }

    public String stopReason() {
        return stopReason;
    }

    /**
     * Another process took the run over (this one was presumed gone): from now on this process must not write its
     * outcome nor send anything to the vendor for it; {@code why} names the new owner.
     */
    public void lostTo(String why) {
        this.lostTo = why;
    }

    public boolean isLost() {
        return lostTo != null;
    }

    /**
     * This process holds the run until {@code until} (its last renewal); after that it must ask the ledger again
     * ({@code recheck}, which marks the run lost when another process took it) before it sends or records anything.
     */
    public void heldUntil(Instant until, java.util.function.BooleanSupplier recheck) {
        this.heldUntil = until;
        this.recheckHold = recheck;
    }

    /**
     * False when another process took the run over. A process that could not renew its lease in time (paused, or cut
     * off from the ledger) may have been presumed gone: it asks the ledger before it goes on.
     */
    public boolean checkHeld() {
        Instant until = heldUntil;
        if (lostTo == null && until != null && Instant.now().isAfter(until) && recheckHold != null) {
            recheckHold.getAsBoolean();
        }
        return lostTo == null;
    }

    public String lostTo() {
        return lostTo;
    }

    public RunOrigin origin() {
        return origin;
    }

    public void origin(RunOrigin o) {
        this.origin = o;
    }

    public RunRequest request() {
        return request;
    }

    public String runId() {
        return runId;
    }

    public String workflow() {
        return request.workflow();
    }

    public Path dir() {
        return dir;
    }

    public Path file(String relative) {
        return dir.resolve(relative);
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant deadline() {
        return deadline;
    }

    public boolean isResumed() {
        return resumed;
    }

    /** --no-wait: record the started remote job and return RUNNING without polling. */
    public boolean isNoWait() {
        return request.noWait();
    }

    public OnTimeout onTimeout() {
        return request.onTimeout();
    }

    /** The parameter as given, or its default from the workflow's definition (null: neither). */
    public String param(String name) {
        String v = request.params().get(name);
        return v == null || v.isBlank() ? WorkflowDefinition.defaultOf(request.workflow(), name) : v.trim();
    }

    public String param(String name, String fallback) {
        String v = param(name);
        return v == null ? fallback : v;
    }

    /** For routes: {@code ${exchangeProperty.run.needs('session-put')}} is true until that step is recorded done. */
    public boolean needs(String step) {
        return !completedSteps.contains(step);
    }

    public boolean done(String step) {
        return completedSteps.contains(step);
    }

    public void markDone(String step) {
        completedSteps.add(step);
    }

    /** What was recorded with a step (a start's intent keeps what reconciliation needs: the time, the state before). */
    public void stepDetail(String step, StepRecord record) {
        stepRecords.put(step, record);
    }

    public StepRecord stepRecord(String step) {
        return stepRecords.get(step);
    }

    public void forget(String step) {
        completedSteps.remove(step);
        stepRecords.remove(step);
    }

    public Set<String> completedSteps() {
        return Set.copyOf(completedSteps);
    }

    public void remoteId(String name, String value) {
        remoteIds.put(name, value);
    }

    public String remoteId(String name) {
        return remoteIds.get(name);
    }

    public Map<String, String> remoteIds() {
        synchronized (remoteIds) {
            return new LinkedHashMap<>(remoteIds);
        }
    }

    public void count(String name, Object value) {
        counts.put(name, value);
    }

    public Map<String, Object> counts() {
        synchronized (counts) {
            return new TreeMap<>(counts);
        }
    }

    public void warn(String warning) {
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public void artifact(String relative) {
        artifacts.add(relative.replace('\\', '/'));
    }

    public List<String> artifacts() {
        return List.copyOf(artifacts);
    }

    /** The remote work finished with errors worth a WARNING outcome (row errors, task errors); the first one is kept. */
    public synchronized void completedWithWarning(RunError reason) {
        if (warning == null) {
            warning = reason;
        }
    }

    public RunError completionWarning() {
        return warning;
    }

    public String state() {
        return state;
    }

    public void state(String s) {
        this.state = s;
    }

    public Outcome outcome() {
        return outcome;
    }

    public RunError error() {
        return error;
    }

    public void end(Outcome o, RunError e) {
        this.outcome = o;
        this.error = e;
        this.finishedAt = Instant.now();
        this.state = o.name();
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public RunResult toResult() {
        Long duration = finishedAt == null ? null : Duration.between(startedAt, finishedAt).toMillis();
        return new RunResult(runId, workflow(), outcome, state, remoteIds(), startedAt, finishedAt, duration, counts(),
                artifacts(), error, warnings(), Secrets.maskParams(request.params()), dir.getParent() == null ? null
                : dir.getParent().toString());
    }
}
