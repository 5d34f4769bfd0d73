package io.jobpilot.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * N infolink-job runs in flight in one {@code jobpilot serve} (a child JVM, as a user runs it), each polled every
 * 5 s against a fast local InfoLink stand-in: started through {@code POST /api/runs}, held in flight, then released
 * to complete. Prints a markdown table: threads, heap after GC at two points of the hold (and its growth per poll),
 * RSS, polls per second done and needed, cadence drift p50/p99 as the vendor saw it, how long until all N had
 * started at the vendor, starts per job, outcomes, and ledger bytes per run.
 * <p>
 * With {@code --nodes K --db jdbc:postgresql://...}, K serve processes share one PostgreSQL ledger (a fresh database
 * made for each size and dropped after), the runs go to their APIs in turn, and the per-process figures are shown
 * for each node ("a / b").
 * <p>
 * {@code bin/benchmark inflight [--hold 3m] [--interval 5s] [--heap 512m] [--nodes K --db URL] [--set property=value]... [--serve-jvm "OPTIONS"] [--http 1.1|2] [N ...]}
 * (default N: 100 1000 10000).
 */
public final class InflightBenchmark {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    /** JVM options for every serve process ({@code --serve-jvm}), e.g. a flight recording to see where its time goes. */
    private static final List<String> SERVE_JVM_OPTIONS = new ArrayList<>();
    /**
     * The HTTP version the benchmark's client speaks to the API ({@code --http}): HTTP/2 (h2c), which the JDK's client
     * asks for unless told, or HTTP/1.1, as curl and most clients of an API do by default. Measured side by side at
     * 10,000 runs, neither started the runs faster.
     */
    private static HttpClient.Version apiHttp = HttpClient.Version.HTTP_2;

    public static void main(String[] args) throws Exception {
        Duration hold = Duration.ofMinutes(3);          // H2 rewrites only chunks older than 45 s: a short hold shows its high-water mark
        long intervalMs = 5000;
        String heap = "512m";
        List<Integer> sizes = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        int nodes = 1;
        String db = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--db" -> db = args[++i];
                case "--hold" -> hold = io.jobpilot.config.Durations.parse(args[++i]);
                case "--interval" -> intervalMs = io.jobpilot.config.Durations.parse(args[++i]).toMillis();
                case "--heap" -> heap = args[++i];
                case "--set" -> extra.add(args[++i]);
                case "--serve-jvm" -> SERVE_JVM_OPTIONS.addAll(List.of(args[++i].trim().split("\\s+")));
                case "--http" -> apiHttp = args[++i].equals("1.1") ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2;
                default -> sizes.add(Integer.parseInt(args[i].replace("_", "").replace(",", "")));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100, 1000, 10000);
        }
        if (nodes > 1 && (db == null || !db.startsWith("jdbc:postgresql:"))) {
            System.err.println("inflight: --nodes " + nodes + " needs --db jdbc:postgresql://... (several serve nodes share a PostgreSQL "
                    + "ledger; `source .ci/postgres.bash && start_postgres` starts one and sets JOBPILOT_TEST_PG_URL)");
            System.exit(2);
        }
        System.err.printf("in-flight benchmark: %s runs, %d serve node(s) on %s, poll every %d ms, hold %ss, serve -Xmx%s, API over %s, "
                        + "%d cores, load average %.1f%n", sizes, nodes, db == null ? "an H2 file" : "PostgreSQL", intervalMs, hold.toSeconds(), heap,
                apiHttp == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1",
                Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<String> rows = new ArrayList<>();
        for (int n : sizes) {
            rows.add(new InflightBenchmark(n, intervalMs, hold, heap, extra, nodes, db).measure());
        }
        System.out.println();
        System.out.println("| N runs" + (nodes > 1 ? " (nodes)" : "") + " | threads | heap after GC (start / end of hold) | heap growth per poll | RSS | polls/s done / needed "
                + "| drift p50 / p99 | all started at the vendor after | starts per job | outcomes | ledger per run: in flight / after stop |");
        System.out.println("|---:|---:|---|---:|---:|---|---|---:|---|---|---|");
        rows.forEach(System.out::println);
    }

    private final int n;
    private final long intervalMs;
    private final Duration hold;
    private final String heap;
    private final List<String> extra;
    private final int nodes;
    private final String db;
    private final HttpClient client = HttpClient.newBuilder().version(apiHttp).connectTimeout(Duration.ofSeconds(10)).build();

    private InflightBenchmark(int n, long intervalMs, Duration hold, String heap, List<String> extra, int nodes, String db) {
        this.extra = extra;
        this.nodes = nodes;
        this.db = db;
        this.n = n;
        this.intervalMs = intervalMs;
        this.hold = hold;
        this.heap = heap;
    }

    private String measure() throws Exception {
        Path work = Files.createTempDirectory("jobpilot-inflight-");
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                ports.add(s.getLocalPort());
            }
        }
        BenchLedger ledger = db == null ? BenchLedger.h2(work.resolve("db")) : BenchLedger.freshPostgres(db);
        List<Process> serves = new ArrayList<>();
        try (InfoLinkStandIn vendor = new InfoLinkStandIn(intervalMs)) {
            for (int i = 0; i < nodes; i++) {
                serves.add(startServe(work, i, ports.get(i), vendor.baseUrl(), ledger.url()));
            }
            try {
                for (int i = 0; i < nodes; i++) {
                    awaitUp(ports.get(i), serves.get(i));
                }
                long t0 = System.nanoTime();
                submit(ports);
                double acceptedS = (System.nanoTime() - t0) / 1e9;
                await("all " + n + " runs started at the vendor", Duration.ofMinutes(20), () -> vendor.started() >= n);
                double allStartedS = (vendor.lastStartNanos() - t0) / 1e9;
                System.err.printf("  %d runs: all accepted by the API after %.1f s, all started at the vendor after %.1f s; holding %ss%n", n,
                        acceptedS, allStartedS, hold.toSeconds());
                sleep(Duration.ofMillis(2 * intervalMs));            // every run has settled into its cadence
                vendor.measure(true);
                long[] heap1 = each(serves, InflightBenchmark::heapAfterGc);
                long polls1 = vendor.statusCalls();
                long holdStart = System.nanoTime();
                sleep(hold);
                long polls2 = vendor.statusCalls();
                double holdS = (System.nanoTime() - holdStart) / 1e9;
                long[] heap2 = each(serves, InflightBenchmark::heapAfterGc);
                long ledgerInFlight = ledger.bytes();
                vendor.measure(false);
                long[] threads = each(serves, p -> procStatus(p, "Threads:"));
                long[] rssKb = each(serves, p -> procStatus(p, "VmRSS:"));
                long drift50 = vendor.driftQuantileMs(0.50);
                long drift99 = vendor.driftQuantileMs(0.99);
                vendor.release();
                await("all " + n + " runs ended", Duration.ofMinutes(20), () -> finished(ports) >= n);
                String outcomes = outcomes(ports);
                long stopStart = System.nanoTime();
                for (Process serve : serves) {
                    stop(serve);
                }
                System.err.printf("  serve stopped in %.1f s (exit %s)%n", (System.nanoTime() - stopStart) / 1e9,
                        serves.stream().map(p -> String.valueOf(p.exitValue())).toList());
                long ledgerBytes = ledger.bytes();
                double pollsPerS = (polls2 - polls1) / holdS;
                long growth = polls2 > polls1 ? (sum(heap2) - sum(heap1)) / (polls2 - polls1) : 0;
                return String.format(Locale.ROOT, "| %,d%s | %s | %s | %d bytes | %s | %.0f / %.0f | %d ms / %d ms | %.1f s | %s "
                                + "| %s | %.1f KB / %.1f KB |", n, nodes > 1 ? " (" + nodes + " nodes)" : "", perNode(threads, v -> String.valueOf(v)),
                        heapColumn(heap1, heap2), growth, perNode(rssKb, v -> (v >> 10) + " MB"), pollsPerS,
                        n * 1000.0 / intervalMs, drift50, drift99, allStartedS,
                        vendor.duplicateStarts() == 0 ? "1 (" + vendor.started() + " jobs)" : vendor.duplicateStarts() + " duplicate starts",
                        outcomes, ledgerInFlight / 1024.0 / n, ledgerBytes / 1024.0 / n);
            } finally {
                serves.forEach(Process::destroyForcibly);
                ledger.drop();
                deleteTree(work);
            }
        }
    }

    private interface PerProcess {
        long of(Process p) throws Exception;
    }

    private static long[] each(List<Process> serves, PerProcess figure) throws Exception {
        long[] values = new long[serves.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = figure.of(serves.get(i));
        }
        return values;
    }

    private static long sum(long[] values) {
        return java.util.Arrays.stream(values).sum();
    }

    /** One figure per node, "a / b" when there are several. */
    private static String perNode(long[] values, java.util.function.LongFunction<String> format) {
        return String.join(" / ", java.util.Arrays.stream(values).mapToObj(format).toList());
    }

    private static String heapColumn(long[] start, long[] end) {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < start.length; i++) {
            nodes.add((start[i] >> 20) + " MB / " + (end[i] >> 20) + " MB");
        }
        return String.join("; ", nodes);
    }

    private Process startServe(Path work, int node, int port, String vendorUrl, String dbUrl) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Djobpilot.home=" + System.getProperty("jobpilot.home", ".")));
        cmd.addAll(SERVE_JVM_OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.jobpilot.cli.JobpilotCommand", "serve"));
        String[][] props = {
                {"jobpilot.server.port", String.valueOf(port)},
                {"jobpilot.db.url", dbUrl},
                {"jobpilot.out", work.resolve("runs").toString()},
                {"jobpilot.server.node-id", "bench-node-" + node},
                {"jobpilot.infolink.base-url", vendorUrl},
                {"jobpilot.poll.initial-interval", intervalMs + "ms"},
                {"jobpilot.poll.multiplier", "1"},
                {"jobpilot.poll.max-interval", intervalMs + "ms"},
        };
        for (String[] p : props) {
            cmd.add("--set");
            cmd.add(p[0] + "=" + p[1]);
        }
        for (String p : extra) {
            cmd.add("--set");
            cmd.add(p);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("serve-" + node + ".log").toFile());
        pb.environment().put("JOBPILOT_INFOLINK_API_KEY", "bench-key");
        return pb.start();
    }

    private void awaitUp(int port, Process serve) throws Exception {
        await("serve to answer", Duration.ofMinutes(2), () -> {
            if (!serve.isAlive()) {
                throw new IllegalStateException("serve exited with " + serve.exitValue());
            }
            return get(port, "/observe/health") == 200;
        });
    }

    /** The runs go to the nodes' APIs in turn. */
    private void submit(List<Integer> ports) throws Exception {
        Semaphore window = new Semaphore(32);
        List<CompletableFuture<?>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String body = "{\"workflow\":\"infolink-job\",\"runId\":\"bench-" + i + "\",\"params\":{\"app-id\":\"7\",\"scenario\":\"Bench\"}}";
            window.acquire();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(i % ports.size()) + "/api/runs"))
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            all.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                window.release();
                if (e != null || r.statusCode() >= 300) {
                    System.err.println("  POST /api/runs: " + (e != null ? e : r.statusCode() + " " + r.body()));
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    private int get(int port, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    private String metrics(int port) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Runs ended so far on all nodes, whatever their outcome (serve's own counts). */
    private long finished(List<Integer> ports) throws Exception {
        long ended = 0;
        for (int port : ports) {
            Matcher m = Pattern.compile("(?m)^jobpilot_runs_finished_total\\S*\\s+([0-9.E+]+)").matcher(metrics(port));
            while (m.find()) {
                ended += (long) Double.parseDouble(m.group(1));
            }
        }
        return ended;
    }

    /** Heap used after a full GC, from the JVM itself (jcmd). */
    private static long heapAfterGc(Process p) throws Exception {
        jcmd(p, "GC.run");
        Matcher m = HEAP_USED.matcher(jcmd(p, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private static String jcmd(Process p, String command) throws Exception {
        Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(p.pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes());
        j.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static long procStatus(Process p, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private static void stop(Process serve) throws InterruptedException {
        serve.destroy();                                          // SIGTERM: serve's own graceful stop
        if (!serve.waitFor(5, TimeUnit.MINUTES)) {
            serve.destroyForcibly().waitFor();
        }
    }

    /** "10000 SUCCEEDED": the nodes' own counts of the runs ended, by outcome, added up. */
    private String outcomes(List<Integer> ports) throws Exception {
        java.util.Map<String, Long> byOutcome = new java.util.TreeMap<>();
        for (int port : ports) {
            Matcher m = Pattern.compile("(?m)^jobpilot_runs_finished_total\\{[^}]*outcome=\"(\\w+)\"[^}]*}\\s+([0-9.E+]+)").matcher(metrics(port));
            while (m.find()) {
                byOutcome.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
            }
        }
        return String.join(", ", byOutcome.entrySet().stream().map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey())).toList());
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(String what, Duration limit, Check check) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + limit);
            }
            Thread.sleep(200);
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
