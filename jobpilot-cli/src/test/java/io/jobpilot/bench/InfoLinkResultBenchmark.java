package io.jobpilot.bench;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.sandbox.infolink.InfoLinkSimulator;
import io.jobpilot.sandbox.infolink.JobScript;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): an InfoLink job whose result is SIZE MB of JSON, through the real routes and the simulator
 * over HTTP, in both modes (async: the results come with getJobStatus; sync: with executeJob). Prints size, records,
 * wall time, MB/s and the heap's peak use. Run it with a small heap to show memory stays flat (see README.md):
 * <pre>java -Xmx256m -cp ... io.jobpilot.bench.InfoLinkResultBenchmark [SIZE_MB...]   (default: 50 200)</pre>
 */
public final class InfoLinkResultBenchmark {
    private static final int RECORD_BYTES = 200;

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = args.length == 0 ? List.of(50, 200) : java.util.Arrays.stream(args).map(Integer::valueOf).toList();
        Path work = Files.createTempDirectory("jobpilot-bench");
        System.out.printf("InfoLink result streaming, -Xmx %d MB, records of ~%d bytes, simulator in the same JVM%n",
                Runtime.getRuntime().maxMemory() >> 20, RECORD_BYTES);
        System.out.printf("%-6s %9s %11s %9s %8s %14s%n", "MODE", "SIZE MB", "RECORDS", "WALL s", "MB/s", "PEAK HEAP MB");
        try (Sandbox sandbox = Sandbox.start(0)) {
            Map<String, String> props = new LinkedHashMap<>(sandbox.connectionProperties());
            props.put("jobpilot.db.url", "jdbc:h2:file:" + work.resolve("ledger").toAbsolutePath());
            props.put("jobpilot.out", work.resolve("runs").toString());
            props.put("jobpilot.poll.initial-interval", "50ms");
            props.put("jobpilot.poll.max-interval", "200ms");
            props.put("jobpilot.http.response-timeout", "10m");
            JobpilotConfig config = JobpilotConfig.load(Path.of("config/application.properties"), List.of(), props);
            try (JobpilotRuntime runtime = JobpilotRuntime.start(config, Progress.parse("off", new PrintWriter(System.err)))) {
                for (int mb : sizes) {
                    long records = mb * 1_000_000L / RECORD_BYTES;
                    sandbox.infoLink().script("Bench" + mb, JobScript.create().runningPolls(1).result("rows", records, RECORD_BYTES));
                    for (String async : List.of("true", "false")) {
                        measure(runtime, work, "Bench" + mb, async);
                    }
                }
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void measure(JobpilotRuntime runtime, Path work, String scenario, String async) throws Exception {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        RunResult r = runtime.run(new RunRequest("infolink-job", Map.of("app-id", InfoLinkSimulator.APP_ID, "scenario", scenario,
                "async", async), null, null, null, null, false, null));
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        if (r.outcome() != io.jobpilot.run.Outcome.SUCCEEDED) {
            throw new IllegalStateException("benchmark run " + r.runId() + " ended " + r.outcome() + ": " + r.error());
        }
        Path file = work.resolve("runs").resolve(r.runId()).resolve("results/rows.ndjson");
        double mb = Files.size(file) / 1e6;
        System.out.printf("%-6s %9.1f %11d %9.2f %8.1f %14.1f%n", "true".equals(async) ? "async" : "sync", mb,
                ((Number) r.counts().get("records")).longValue(), seconds, mb / seconds, peak / 1048576.0);
        Files.delete(file);
    }
}
