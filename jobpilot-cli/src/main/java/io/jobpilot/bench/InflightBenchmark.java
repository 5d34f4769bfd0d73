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
 * {@code bin/benchmark inflight [--hold 60s] [--interval 5s] [--heap 512m] [--set property=value]... [N ...]} (default N: 100 1000 10000).
 */
public final class InflightBenchmark {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    public static void main(String[] args) throws Exception {
        Duration hold = Duration.ofSeconds(60);
        long intervalMs = 5000;
        String heap = "512m";
        List<Integer> sizes = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--hold" -> hold = io.jobpilot.config.Durations.parse(args[++i]);
                case "--interval" -> intervalMs = io.jobpilot.config.Durations.parse(args[++i]).toMillis();
                case "--heap" -> heap = args[++i];
                case "--set" -> extra.add(args[++i]);
                default -> sizes.add(Integer.parseInt(args[i].replace("_", "").replace(",", "")));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100, 1000, 10000);
        }
        System.err.printf("in-flight benchmark: %s runs, poll every %d ms, hold %ss, serve -Xmx%s, %d cores, load average %.1f%n", sizes,
                intervalMs, hold.toSeconds(), heap, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<String> rows = new ArrayList<>();
        for (int n : sizes) {
            rows.add(new InflightBenchmark(n, intervalMs, hold, heap, extra).measure());
        }
        System.out.println();
        System.out.println("| N runs | threads | heap after GC (start / end of hold) | heap growth per poll | RSS | polls/s done / needed "
                + "| drift p50 / p99 | all started at the vendor after | starts per job | outcomes | ledger per run: in flight / after stop |");
        System.out.println("|---:|---:|---|---:|---:|---|---|---:|---|---|---|");
        rows.forEach(System.out::println);
    }

    private final int n;
    private final long intervalMs;
    private final Duration hold;
    private final String heap;
    private final List<String> extra;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private InflightBenchmark(int n, long intervalMs, Duration hold, String heap, List<String> extra) {
        this.extra = extra;
        this.n = n;
        this.intervalMs = intervalMs;
        this.hold = hold;
        this.heap = heap;
    }

    private String measure() throws Exception {
        Path work = Files.createTempDirectory("jobpilot-inflight-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (InfoLinkStandIn vendor = new InfoLinkStandIn(intervalMs)) {
            Process serve = startServe(work, port, vendor.baseUrl());
            try {
                awaitUp(port, serve);
                long t0 = System.nanoTime();
                submit(port);
                await("all " + n + " runs started at the vendor", Duration.ofMinutes(20), () -> vendor.started() >= n);
                double allStartedS = (vendor.lastStartNanos() - t0) / 1e9;
                System.err.printf("  %d runs: all started at the vendor after %.1f s; holding %ss%n", n, allStartedS, hold.toSeconds());
                sleep(Duration.ofMillis(2 * intervalMs));            // every run has settled into its cadence
                vendor.measure(true);
                long heap1 = heapAfterGc(serve);
                long polls1 = vendor.statusCalls();
                long holdStart = System.nanoTime();
                sleep(hold);
                long polls2 = vendor.statusCalls();
                double holdS = (System.nanoTime() - holdStart) / 1e9;
                long heap2 = heapAfterGc(serve);
                long ledgerInFlight = sizeOf(work.resolve("db"));
                vendor.measure(false);
                long threads = procStatus(serve, "Threads:");
                long rssKb = procStatus(serve, "VmRSS:");
                long drift50 = vendor.driftQuantileMs(0.50);
                long drift99 = vendor.driftQuantileMs(0.99);
                vendor.release();
                await("all " + n + " runs ended", Duration.ofMinutes(20), () -> finished(port) >= n);
                String outcomes = outcomes(port);
                long stopStart = System.nanoTime();
                stop(serve);
                System.err.printf("  serve stopped in %.1f s (exit %d)%n", (System.nanoTime() - stopStart) / 1e9, serve.exitValue());
                long ledgerBytes = sizeOf(work.resolve("db"));
                double pollsPerS = (polls2 - polls1) / holdS;
                long growth = polls2 > polls1 ? (heap2 - heap1) / (polls2 - polls1) : 0;
                return String.format(Locale.ROOT, "| %,d | %d | %d MB / %d MB | %d bytes | %d MB | %.0f / %.0f | %d ms / %d ms | %.1f s | %s "
                                + "| %s | %.1f KB / %.1f KB |", n, threads, heap1 >> 20, heap2 >> 20, growth, rssKb >> 10, pollsPerS,
                        n * 1000.0 / intervalMs, drift50, drift99, allStartedS,
                        vendor.duplicateStarts() == 0 ? "1 (" + vendor.started() + " jobs)" : vendor.duplicateStarts() + " duplicate starts",
                        outcomes, ledgerInFlight / 1024.0 / n, ledgerBytes / 1024.0 / n);
            } finally {
                serve.destroyForcibly();
                deleteTree(work);
            }
        }
    }

    private Process startServe(Path work, int port, String vendorUrl) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Djobpilot.home=" + System.getProperty("jobpilot.home", "."),
                "-cp", System.getProperty("java.class.path"), "io.jobpilot.cli.JobpilotCommand", "serve"));
        String[][] props = {
                {"jobpilot.server.port", String.valueOf(port)},
                {"jobpilot.db.url", "jdbc:h2:file:" + work.resolve("db").resolve("ledger").toAbsolutePath()},
                {"jobpilot.out", work.resolve("runs").toString()},
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
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("serve.log").toFile());
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

    private void submit(int port) throws Exception {
        Semaphore window = new Semaphore(32);
        List<CompletableFuture<?>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String body = "{\"workflow\":\"infolink-job\",\"runId\":\"bench-" + i + "\",\"params\":{\"app-id\":\"7\",\"scenario\":\"Bench\"}}";
            window.acquire();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs"))
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

    /** Runs ended so far, whatever their outcome (serve's own count). */
    private long finished(int port) throws Exception {
        Matcher m = Pattern.compile("(?m)^jobpilot_runs_finished_total\\S*\\s+([0-9.E+]+)").matcher(metrics(port));
        long ended = 0;
        while (m.find()) {
            ended += (long) Double.parseDouble(m.group(1));
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

    /** "10000 SUCCEEDED": serve's own count of the runs ended, by outcome. */
    private String outcomes(int port) throws Exception {
        Matcher m = Pattern.compile("(?m)^jobpilot_runs_finished_total\\{[^}]*outcome=\"(\\w+)\"[^}]*}\\s+([0-9.E+]+)").matcher(metrics(port));
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            s.append(s.length() == 0 ? "" : ", ").append((long) Double.parseDouble(m.group(2))).append(' ').append(m.group(1));
        }
        return s.toString();
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
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
