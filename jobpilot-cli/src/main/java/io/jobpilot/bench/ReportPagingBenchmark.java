package io.jobpilot.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jobpilot.config.Durations;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.oneintegrate.SessionPaths;
import io.jobpilot.run.Json;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.sandbox.oneintegrate.OneIntegrateSimulator;
import io.jobpilot.sandbox.oneintegrate.SessionScript;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Fetches N 1Integrate reports from the simulator into NDJSON three ways, against the same simulator pages: a
 * sequential JDK HttpClient loop; a plain JDK HttpClient keeping as many pages in flight as jobpilot does (what a
 * competent user would write: asynchronous sends bounded by a semaphore, pages written in order as they complete,
 * each page's entries copied to lines with Jackson's streaming API); and jobpilot's oneintegrate-session workflow
 * through its real routes (the whole run: token, play, status, session, summary, pages). The simulator answers each
 * page after a fixed latency (default 20 ms), standing in for the server's own query time, so the physical limit is
 * ceil(pages / in-flight) x latency. Every variant is warmed up, the variants run in rotating order, and the table
 * shows min and median of the rounds, peak heap and heap after GC at the end of a round.
 * <p>
 * A fourth row, the floor, makes the same requests as the plain client and drops each answer as it is read: what
 * the simulator and the machine allow any client.
 * <p>
 * Usage: {@code bin/benchmark paging [--latency 20ms] [--rounds 5] [--variants sequential,plain,jobpilot,floor] [REPORTS ...]}
 * (default 200000 1000000), or
 * {@code bin/benchmark paging --soak [REPORTS]} (default 10000000): jobpilot alone, the heap after GC sampled along the
 * way (bin/benchmark runs it in a 256 MB heap).
 */
public final class ReportPagingBenchmark {
    private static final int PAGE = 1000;
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final String SEQUENTIAL = "sequential JDK HttpClient";
    private static final String PLAIN = "plain JDK HttpClient, %d in flight";
    private static final String JOBPILOT = "jobpilot, %d in flight";
    private static final String FLOOR = "floor: %d in flight, bodies read and dropped";

    /** @param cpuSeconds CPU time of the whole process, the simulator included, during the round */
    record Round(double seconds, double cpuSeconds, double peakHeapMb, double heapAfterGcMb) {
    }

    /** One variant fetching one list of reports into a file. */
    private interface Variant {
        void fetch(String path, long reports, Path file) throws Exception;
    }

    private final Sandbox sandbox;
    private final JobpilotRuntime runtime;
    private final int concurrency;
    private final Path work;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private ReportPagingBenchmark(Sandbox sandbox, JobpilotRuntime runtime, int concurrency, Path work) {
        this.sandbox = sandbox;
        this.runtime = runtime;
        this.concurrency = concurrency;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Duration latency = Duration.ofMillis(20);
        int rounds = 5;
        Long soak = null;
        List<String> only = List.of("sequential", "plain", "jobpilot", "floor");
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--latency" -> latency = Durations.parse(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--variants" -> only = List.of(args[++i].split(","));
                case "--soak" -> soak = i + 1 < args.length && args[i + 1].matches("[\\d_]+")
                        ? Long.parseLong(args[++i].replace("_", "")) : 10_000_000L;
                default -> sizes.add(Long.parseLong(args[i].replace("_", "")));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(200_000L, 1_000_000L);
        }
        Path work = Files.createTempDirectory("jobpilot-bench");
        try (Sandbox sandbox = Sandbox.start(0)) {
            sandbox.faults().add(Fault.on("GET", "results/.+/report").delay(latency.toMillis()).always());
            Map<String, String> props = new LinkedHashMap<>(sandbox.connectionProperties());
            props.put("jobpilot.db.url", "jdbc:h2:file:" + work.resolve("ledger") + ";AUTO_SERVER=TRUE");
            props.put("jobpilot.out", work.resolve("runs").toString());
            props.put("jobpilot.poll.initial-interval", "1ms");
            props.put("jobpilot.progress", "off");
            JobpilotConfig config = JobpilotConfig.load(Path.of("config/application.properties"), List.of(), props);
            int concurrency = config.integer("jobpilot.paging.concurrency");
            try (JobpilotRuntime runtime = JobpilotRuntime.start(config, Progress.parse("off", new PrintWriter(System.err)))) {
                ReportPagingBenchmark bench = new ReportPagingBenchmark(sandbox, runtime, concurrency, work);
                if (soak != null) {
                    bench.soak(soak, latency);
                } else {
                    bench.compare(sizes, rounds, latency, only);
                }
            }
        } finally {
            deleteTree(work);
        }
    }

    private void compare(List<Long> sizes, int rounds, Duration latency, List<String> only) throws Exception {
        Map<String, Variant> variants = new LinkedHashMap<>();
        if (only.contains("sequential")) {
            variants.put(SEQUENTIAL, this::sequential);
        }
        if (only.contains("plain")) {
            variants.put(String.format(PLAIN, concurrency), this::plainParallel);
        }
        if (only.contains("jobpilot")) {
            variants.put(String.format(JOBPILOT, concurrency), this::jobpilot);
        }
        if (only.contains("floor")) {
            variants.put(String.format(FLOOR, concurrency), this::floor);
        }
        String warmPath = session(100_000);
        for (int i = 0; i < 6; i++) {                     // until the JIT has settled; the slow one needs fewer
            for (Map.Entry<String, Variant> v : variants.entrySet()) {
                if (i < 2 || !v.getKey().equals(SEQUENTIAL)) {
                    measure(v.getValue(), warmPath, 100_000);
                }
            }
        }
        Map<Long, Map<String, List<Round>>> results = new LinkedHashMap<>();
        List<String> names = List.copyOf(variants.keySet());
        for (long n : sizes) {
            String path = session(n);
            Map<String, List<Round>> byVariant = new LinkedHashMap<>();
            names.forEach(name -> byVariant.put(name, new ArrayList<>()));
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get((r + k) % names.size());
                    byVariant.get(name).add(measure(variants.get(name), path, n));
                }
            }
            results.put(n, byVariant);
        }
        print(results, rounds, latency);
    }

    /** A session whose one task has {@code n} reports. */
    private String session(long n) {
        String path = "Bench/" + n;
        sandbox.oneIntegrate().existingSession(path, SessionScript.create().runningPolls(0).task("t", n));
        return path;
    }

    private Round measure(Variant variant, String path, long n) throws Exception {
        Path file = work.resolve("reports.ndjson");
        System.gc();
        HeapSampler.PEAK.set(0);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        variant.fetch(path, n, file);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        double peak = HeapSampler.PEAK.get() / 1048576.0;
        double after = heapAfterGcMb();
        if (Files.exists(file)) {                        // the floor writes nothing, and checks its pages itself
            requireComplete(file, n);
            Files.delete(file);
        }
        deleteTree(work.resolve("runs"));
        sandbox.journal().clear();   // the simulator's record of requests, not the client's memory
        return new Round(seconds, cpu, peak, after);
    }

    /** The plain way: one page after the other with the JDK HttpClient, each written as it comes. */
    private void sequential(String path, long n, Path file) throws Exception {
        String token = token();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (long start = 0; ; start += PAGE) {
                HttpResponse<byte[]> page = client.send(pageRequest(path, token, start), HttpResponse.BodyHandlers.ofByteArray());
                if (copyEntries(page.body(), out) < PAGE) {
                    break;
                }
            }
        }
    }

    /**
     * What a user who knows the JDK client writes for the same job: the summary's reportCount gives the pages, at most
     * {@code concurrency} requests are in flight (a slot is freed as soon as a page's body is in), and the pages are
     * written in order as they complete, the next one waited for while the later ones keep coming.
     */
    private void plainParallel(String path, long n, Path file) throws Exception {
        String token = token();
        HttpResponse<byte[]> summary = client.send(HttpRequest.newBuilder(URI.create(base() + "/results/" + SessionPaths.encode(path)
                + "/task?taskIdentifier=t")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        long pages = Json.MAPPER.readTree(summary.body()).path("reportCount").asLong() / PAGE + 1;
        Semaphore slots = new Semaphore(concurrency);
        LinkedBlockingQueue<CompletableFuture<HttpResponse<byte[]>>> inOrder = new LinkedBlockingQueue<>();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            sender.submit(() -> {
                for (long p = 0; p < pages; p++) {
                    slots.acquireUninterruptibly();
                    inOrder.add(client.sendAsync(pageRequest(path, token, p * PAGE), HttpResponse.BodyHandlers.ofByteArray())
                            .whenComplete((r, e) -> slots.release()));
                }
            });
            for (long p = 0; p < pages; p++) {
                if (copyEntries(inOrder.take().join().body(), out) < PAGE) {
                    break;
                }
            }
        } finally {
            sender.shutdownNow();
        }
    }

    /**
     * What this simulator and this machine allow at all: the plain client's requests, each answer read to its end and
     * dropped (no parsing, no file). The distance from here to the ideal is the stand-in's and the loopback's, not a
     * client's.
     */
    private void floor(String path, long n, Path file) throws Exception {
        String token = token();
        long pages = n / PAGE + 1;
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
        for (long p = 0; p < pages; p++) {
            slots.acquireUninterruptibly();
            sent.add(client.sendAsync(pageRequest(path, token, p * PAGE), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> slots.release()));
        }
        for (CompletableFuture<HttpResponse<Void>> page : sent) {
            if (page.join().statusCode() != 200) {
                throw new IllegalStateException("a page answered HTTP " + page.join().statusCode());
            }
        }
    }

    private void jobpilot(String path, long n, Path file) throws IOException {
        RunResult r = runtime.run(RunRequest.of("oneintegrate-session", Map.of("path", path)));
        if (r.outcome() != Outcome.SUCCEEDED) {
            throw new IllegalStateException("benchmark run ended " + r.outcome() + ": " + r.error());
        }
        Files.move(Path.of(r.outDir(), r.runId(), "tasks/t/reports.ndjson"), file);
    }

    private String base() {
        return sandbox.connectionProperties().get("jobpilot.oneintegrate.base-url");
    }

    private String token() throws Exception {
        HttpResponse<Void> login = client.send(HttpRequest.newBuilder(URI.create(base() + "/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + OneIntegrateSimulator.USER + "\",\"password\":\""
                        + OneIntegrateSimulator.PASSWORD + "\"}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.discarding());
        return login.headers().firstValue("Authorization").orElseThrow();
    }

    private HttpRequest pageRequest(String path, String token, long start) {
        return HttpRequest.newBuilder(URI.create(base() + "/results/" + SessionPaths.encode(path) + "/report?taskIdentifier=t&start="
                + start + "&count=" + PAGE)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build();
    }

    /** The user's own page-to-lines copy: each array entry re-written as one line with Jackson's streaming API. */
    private static int copyEntries(byte[] page, OutputStream out) throws IOException {
        try (JsonParser parser = JSON.createParser(page); JsonGenerator gen = JSON.createGenerator(out)) {
            gen.setRootValueSeparator(null);
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("not a page: " + new String(page, 0, Math.min(page.length, 200)));
            }
            int count = 0;
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                gen.copyCurrentStructure(parser);
                gen.writeRaw('\n');
                count++;
            }
            return count;
        }
    }

    /** Every report once, in order: line i is report i. */
    private static void requireComplete(Path file, long n) throws IOException {
        long i = 0;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (String line; (line = in.readLine()) != null; i++) {
                if (!line.startsWith("{\"reportIndex\":" + i + ",")) {
                    throw new IllegalStateException("line " + i + " is not report " + i + ": " + line);
                }
            }
        }
        if (i != n) {
            throw new IllegalStateException(i + " lines for " + n + " reports");
        }
    }

    // ---- 10,000,000 reports: is the heap flat? -------------------------------------------------------------------

    /** jobpilot alone, the heap after a full GC sampled every 2 s along the way with the reports fetched so far. */
    private void soak(long n, Duration latency) throws Exception {
        String path = session(n);
        var fetched = runtime.beans().metrics().registry().counter("jobpilot.report.entries");
        List<double[]> samples = new ArrayList<>();
        AtomicLong running = new AtomicLong(1);
        double before = fetched.count();
        Thread sampler = new Thread(() -> {
            long t0 = System.nanoTime();
            while (running.get() == 1) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                sandbox.journal().clear();   // the simulator's record of requests, not jobpilot's memory
                samples.add(new double[] {(System.nanoTime() - t0) / 1e9, fetched.count() - before, heapAfterGcMb()});
            }
        }, "soak-sampler");
        sampler.start();
        HeapSampler.PEAK.set(0);
        long t0 = System.nanoTime();
        jobpilot(path, n, work.resolve("reports.ndjson"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        running.set(0);
        sampler.interrupt();
        sampler.join();
        requireComplete(work.resolve("reports.ndjson"), n);
        double end = heapAfterGcMb();
        long maxHeap = Runtime.getRuntime().maxMemory() >> 20;
        System.out.printf("%nReport paging, %,d reports in one jobpilot run: %d MB heap (-Xmx), simulator latency %d ms per page, "
                        + "%d reports per page, %d in flight, %d cores (shared)%n%n", n, maxHeap, latency.toMillis(), PAGE, concurrency,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| elapsed | reports fetched | heap after GC |");
        System.out.println("|---|---|---|");
        for (double[] s : samples) {
            System.out.printf("| %.0f s | %,.0f | %.1f MB |%n", s[0], s[1], s[2]);
        }
        System.out.printf("| %.1f s (done) | %,d | %.1f MB |%n%n", seconds, n, end);
        List<double[]> steady = samples.subList(samples.size() / 5, samples.size());
        System.out.printf("Peak heap %.0f MB. Heap after GC over the last 80%% of the run: %.1f to %.1f MB, %+.2f MB per million reports "
                        + "(least-squares slope).%n", HeapSampler.PEAK.get() / 1048576.0, steady.stream().mapToDouble(s -> s[2]).min().orElse(0),
                steady.stream().mapToDouble(s -> s[2]).max().orElse(0), slopePerMillion(steady));
    }

    private static double slopePerMillion(List<double[]> samples) {
        double n = samples.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] s : samples) {
            double x = s[1] / 1e6;
            sx += x;
            sy += s[2];
            sxx += x * x;
            sxy += x * s[2];
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }

    // ---- measuring and printing -----------------------------------------------------------------------------------

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double heapAfterGcMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    /** Samples the used heap (live objects and garbage not yet collected) every 5 ms; the maximum is the peak. */
    private static final class HeapSampler {
        static final AtomicLong PEAK = new AtomicLong();

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
    }

    private void print(Map<Long, Map<String, List<Round>>> results, int rounds, Duration latency) {
        long maxHeap = Runtime.getRuntime().maxMemory() >> 20;
        System.out.printf("%nReport paging: simulator latency %d ms per page, %d reports per page, %d in flight, min / median of %d "
                        + "rounds (warmed up, variants in rotating order), -Xmx %d MB, %d cores (shared)%n%n", latency.toMillis(), PAGE,
                concurrency, rounds, maxHeap, Runtime.getRuntime().availableProcessors());
        System.out.println("| reports | variant | wall min / median | reports/s (median) | of ideal (median) | CPU (median, process) "
                + "| peak heap | heap after GC |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Long, Map<String, List<Round>>> size : results.entrySet()) {
            long n = size.getKey();
            long pages = n / PAGE + 1;
            double ideal = Math.ceil(pages / (double) concurrency) * latency.toMillis() / 1000.0;
            for (Map.Entry<String, List<Round>> v : size.getValue().entrySet()) {
                List<Double> times = v.getValue().stream().map(Round::seconds).sorted().toList();
                double min = times.get(0);
                double median = times.get(times.size() / 2);
                List<Double> cpu = v.getValue().stream().map(Round::cpuSeconds).sorted().toList();
                System.out.printf("| %,d | %s | %.2f s / %.2f s | %,.0f | %.0f%% | %.2f s | %.0f MB | %.0f MB |%n", n, v.getKey(), min,
                        median, n / median, 100 * ideal / median, cpu.get(cpu.size() / 2), v.getValue().stream().mapToDouble(Round::peakHeapMb).max().orElse(0),
                        v.getValue().get(v.getValue().size() - 1).heapAfterGcMb());
            }
            System.out.printf("| %,d | ideal: ceil(%,d pages / %d) x %d ms | %.2f s | %,.0f | 100%% | | | |%n", n, pages, concurrency,
                    latency.toMillis(), ideal, n / ideal);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
