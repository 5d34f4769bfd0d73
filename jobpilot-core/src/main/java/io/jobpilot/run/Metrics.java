package io.jobpilot.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * jobpilot's own meters (Prometheus names in brackets): runs started [jobpilot_runs_started_total{workflow}] and
 * finished [jobpilot_runs_finished_total{workflow,outcome}], runs in flight [jobpilot_runs_in_flight], status polls
 * [jobpilot_polls_total{vendor}], HTTP errors [jobpilot_http_errors_total{vendor,status}] and report entries fetched
 * [jobpilot_report_entries_total]. Serve mode exposes them at /observe/metrics.
 */
public final class Metrics {
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter reportEntries;

    public Metrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("jobpilot.runs.in.flight", inFlight);
        this.reportEntries = Counter.builder("jobpilot.report.entries").description("report entries fetched").register(registry);
    }

    /** For code paths with no runtime around them (unit tests, tools). */
    public static Metrics none() {
        return new Metrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void runStarted(String workflow) {
        registry.counter("jobpilot.runs.started", "workflow", workflow).increment();
    }

    public void runEntered() {
        inFlight.incrementAndGet();
    }

    public void runFinished(String workflow, Outcome outcome) {
        registry.counter("jobpilot.runs.finished", "workflow", workflow, "outcome", outcome.name()).increment();
    }

    public void runLeft() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void poll(String vendor) {
        registry.counter("jobpilot.polls", "vendor", vendor).increment();
    }

    public void httpError(String vendor, int status) {
        registry.counter("jobpilot.http.errors", "vendor", vendor, "status", status == 0 ? "network" : String.valueOf(status)).increment();
    }

    public void reportEntries(long n) {
        reportEntries.increment(n);
    }
}
