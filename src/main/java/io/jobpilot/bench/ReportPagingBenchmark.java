package io.jobpilot.bench;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.paging.NdjsonPageWriter;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.runtime.JobpilotRuntime;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.sandbox.oneintegrate.OneIntegrateSimulator;
import io.jobpilot.sandbox.oneintegrate.SessionScript;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fetches N 1Integrate reports from the simulator into NDJSON twice: with jobpilot's oneintegrate-session workflow
 * (the real routes, concurrent pages) and with a plain sequential JDK HttpClient loop over the same pages; prints wall
 * time, reports/s and peak heap. The simulator answers each page after a fixed latency (default 20 ms), standing in for
 * the server's own query time. Usage: bin/benchmark [--latency 20ms] [N ...] (default 200000 1000000).
 */
public final class ReportPagingBenchmark {
    private static final int PAGE = 1000;

    record Row(long reports, String variant, double seconds, long lines, double peakHeapMb) {
    }

    public static void main(String[] args) throws Exception {
        Duration latency = Duration.ofMillis(20);
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--latency")) {
                latency = io.jobpilot.config.Durations.parse(args[++i]);
            } else {
                sizes.add(Long.parseLong(args[i].replace("_", "")));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(200_000L, 1_000_000L);
        }
        Path work = Files.createTempDirectory("jobpilot-bench");
        List<Row> rows = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.start(0)) {
            sandbox.faults().add(Fault.on("GET", "results/.+/report").delay(latency.toMillis()).always());
            Map<String, String> props = new LinkedHashMap<>(sandbox.connectionProperties());
            props.put("jobpilot.db.url", "jdbc:h2:file:" + work.resolve("ledger") + ";AUTO_SERVER=TRUE");
            props.put("jobpilot.out", work.resolve("runs").toString());
            props.put("jobpilot.poll.initial-interval", "20ms");
            props.put("jobpilot.progress", "off");
            JobpilotConfig config = JobpilotConfig.load(Path.of("config/application.properties"), List.of(), props);
            int concurrency = config.integer("jobpilot.paging.concurrency", 8);
            try (JobpilotRuntime runtime = JobpilotRuntime.start(Path.of("."), config, Progress.parse("off", new PrintWriter(System.err)))) {
                for (long n : sizes) {
                    String path = "Bench/" + n;
                    sandbox.oneIntegrate().existingSession(path, SessionScript.create().runningPolls(0).task("t", n));
                    rows.add(baseline(sandbox, path, n, work.resolve("baseline-" + n + ".ndjson")));
                    rows.add(jobpilot(runtime, path, n, concurrency));
                    deleteTree(work.resolve("runs"));
                    Files.deleteIfExists(work.resolve("baseline-" + n + ".ndjson"));
                }
            }
        } finally {
            deleteTree(work);
        }
        print(rows, latency);
    }

    /** The plain way: one page after the other with the JDK HttpClient, each streamed to the file. */
    static Row baseline(Sandbox sandbox, String path, long n, Path file) throws Exception {
        resetPeaks();
        long t0 = System.nanoTime();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = sandbox.connectionProperties().get("jobpilot.oneintegrate.base-url");
        HttpResponse<Void> login = client.send(HttpRequest.newBuilder(URI.create(base + "/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + OneIntegrateSimulator.USER + "\",\"password\":\""
                        + OneIntegrateSimulator.PASSWORD + "\"}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.discarding());
        String token = login.headers().firstValue("Authorization").orElseThrow();
        String encoded = io.jobpilot.oneintegrate.SessionPaths.encode(path);
        long lines = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (long start = 0; ; start += PAGE) {
                HttpResponse<byte[]> page = client.send(HttpRequest.newBuilder(URI.create(base + "/results/" + encoded
                                + "/report?taskIdentifier=t&start=" + start + "&count=" + PAGE)).header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
                int count = NdjsonPageWriter.copyEntries(new ByteArrayInputStream(page.body()), out);
                lines += count;
                if (count < PAGE) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Row(n, "sequential JDK HttpClient", seconds, lines, peakHeapMb());
    }

    static Row jobpilot(JobpilotRuntime runtime, String path, long n, int concurrency) throws Exception {
        resetPeaks();
        long t0 = System.nanoTime();
        RunResult r = runtime.run(RunRequest.of("oneintegrate-session", Map.of("path", path)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (r.outcome() != Outcome.SUCCEEDED) {
            throw new IllegalStateException("benchmark run ended " + r.outcome() + ": " + r.error());
        }
        long lines;
        try (Stream<String> s = Files.lines(Path.of(r.outDir(), r.runId(), "tasks/t/reports.ndjson"))) {
            lines = s.count();
        }
        return new Row(n, "jobpilot (" + concurrency + " pages at once)", seconds, lines, peakHeapMb());
    }

    private static final java.util.concurrent.atomic.AtomicLong PEAK = new java.util.concurrent.atomic.AtomicLong();

    /** Samples the used heap (live objects and garbage not yet collected) every 5 ms; the maximum is the peak. */
    static {
        Thread sampler = new Thread(() -> {
            var memory = ManagementFactory.getMemoryMXBean();
            while (true) {
                PEAK.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static void resetPeaks() {
        System.gc();
        PEAK.set(0);
    }

    private static double peakHeapMb() {
        return PEAK.get() / (1024.0 * 1024.0);
    }

    private static void print(List<Row> rows, Duration latency) {
        long maxHeap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        System.out.printf("%nReport paging benchmark: simulator latency %d ms per page, %d reports per page, -Xmx %d MB, %d cores%n%n",
                latency.toMillis(), PAGE, maxHeap, Runtime.getRuntime().availableProcessors());
        System.out.printf("%10s  %-30s %9s %12s %14s %9s%n", "reports", "variant", "wall s", "reports/s", "peak heap MB", "speed-up");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Row baseline = rows.get(i - i % 2);
            if (r.lines() != r.reports()) {
                throw new IllegalStateException(r.variant() + " wrote " + r.lines() + " lines for " + r.reports() + " reports");
            }
            System.out.printf("%10d  %-30s %9.2f %12.0f %14.1f %8.2fx%n", r.reports(), r.variant(), r.seconds(), r.reports() / r.seconds(),
                    r.peakHeapMb(), baseline.seconds() / r.seconds());
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
