package io.jobpilot.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast InfoLink for the in-flight benchmark: executeJob and getJobStatus only, jobs "running" until
 * {@link #release()}, then "completed" with one small result set. It counts starts per job and measures each job's
 * poll cadence (the gap between two status checks of one job, minus the interval it should be) in a millisecond
 * histogram, so what the benchmark reports is what the vendor saw.
 */
final class InfoLinkStandIn implements AutoCloseable {
    private static final Pattern JOB_ID = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"");
    private static final byte[] RUNNING = "{\"result\":{\"status\":\"running\"},\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] COMPLETED = ("{\"result\":{\"results\":[{\"result\":{\"schema\":[{\"name\":\"id\",\"type\":{\"name\":\"int\"}}],"
            + "\"records\":[{\"id\":1}]},\"name\":\"rows\"}],\"status\":\"completed\"},\"status\":\"success\"}").getBytes(StandardCharsets.UTF_8);
    private static final int MAX_DRIFT_MS = 120_000;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicLongArray driftMs = new AtomicLongArray(MAX_DRIFT_MS + 1);
    private final AtomicLong statusCalls = new AtomicLong();
    private final AtomicLong lastStartNanos = new AtomicLong();
    private final AtomicInteger duplicateStarts = new AtomicInteger();

    private static final class Job {
        final AtomicInteger starts = new AtomicInteger();
        volatile long lastPollNanos;
    }

    InfoLinkStandIn(long intervalMs) throws IOException {
        this.intervalNanos = intervalMs * 1_000_000L;
        // headers and body go out as two writes: without TCP_NODELAY, Nagle's algorithm and delayed ACKs hold each
        // body ~40 ms on loopback, and the stand-in, not jobpilot, would set the pace
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.setExecutor(threads);
        server.createContext("/infolink/api/v1/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/infolink";
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            byte[] answer;
            if (path.endsWith("/executeJob.jsp")) {
                String body;
                try (InputStream in = x.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Matcher m = JOB_ID.matcher(body);
                String id = m.find() ? m.group(1) : "?";
                Job job = jobs.computeIfAbsent(id, k -> new Job());
                if (job.starts.incrementAndGet() > 1) {
                    duplicateStarts.incrementAndGet();
                }
                job.lastPollNanos = System.nanoTime();
                lastStartNanos.set(job.lastPollNanos);
                answer = ("{\"status\":\"success\",\"result\":{\"jobId\":\"" + id + "\"}}").getBytes(StandardCharsets.UTF_8);
            } else if (path.endsWith("/getJobStatus.jsp")) {
                Job job = jobs.get(jobId(x.getRequestURI().getRawQuery()));
                if (job == null) {
                    answer = "{\"status\":\"error\",\"result\":{\"message\":\"Job not found.\"}}".getBytes(StandardCharsets.UTF_8);
                } else {
                    statusCalls.incrementAndGet();
                    long now = System.nanoTime();
                    long gap = now - job.lastPollNanos;
                    job.lastPollNanos = now;
                    if (measuring.get()) {
                        long drift = Math.max(0, (gap - intervalNanos) / 1_000_000L);
                        driftMs.incrementAndGet((int) Math.min(drift, MAX_DRIFT_MS));
                    }
                    answer = released.get() ? COMPLETED : RUNNING;
                }
            } else {
                x.sendResponseHeaders(404, -1);
                return;
            }
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, answer.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static String jobId(String query) {
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("jobId=")) {
                return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    int started() {
        return jobs.size();
    }

    int duplicateStarts() {
        return duplicateStarts.get();
    }

    long lastStartNanos() {
        return lastStartNanos.get();
    }

    long statusCalls() {
        return statusCalls.get();
    }

    void measure(boolean on) {
        measuring.set(on);
    }

    void release() {
        released.set(true);
    }

    /** The drift (ms late) at quantile q of the status checks measured. */
    long driftQuantileMs(double q) {
        long total = 0;
        for (int i = 0; i <= MAX_DRIFT_MS; i++) {
            total += driftMs.get(i);
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i <= MAX_DRIFT_MS; i++) {
            seen += driftMs.get(i);
            if (seen >= rank && total > 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
