package io.jobpilot.bench;

import io.jobpilot.cli.ConfigOptions;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.Sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up of the command line, as whole processes: `run exago-batch` (one item, against a Sandbox in this JVM, which
 * journals when the first vendor request arrives), `runs` and `show RUN_ID`, each started as `java -jar` without and
 * with the class-data sharing archive (jobpilot-cli/target/jobpilot.jsa, made by bin/jobpilot-archive when missing) and through
 * bin/jobpilot; `java -version` is the floor no command can beat. One warm-up round, then N rounds (default 5) in an
 * order that rotates each round; prints min and median. Usage: bin/benchmark startup [ROUNDS].
 */
public final class StartupBenchmark {
    private static final String SHOWN = "startup-bench-shown";

    record Variant(String name, List<String> launcher) {
    }

    record Case(String command, Variant variant, List<String> args, boolean callsVendor) {
    }

    record Sample(double wallSeconds, Double firstRequestSeconds) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path home = ConfigOptions.home();
        Path jar = home.resolve("jobpilot-cli/target/jobpilot.jar");
        Path archive = home.resolve("jobpilot-cli/target/jobpilot.jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> notes = new ArrayList<>();
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("java -jar, no archive", List.of(java, "-Djobpilot.home=" + home, "-jar", jar.toString())));
        if (archiveReady(home, jar, archive, notes)) {
            variants.add(new Variant("java -jar, AppCDS archive", List.of(java, "-XX:SharedArchiveFile=" + archive, "-Xshare:auto",
                    "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Djobpilot.home=" + home, "-jar", jar.toString())));
            variants.add(new Variant("bin/jobpilot (archive, C1 only, serial GC)", List.of(home.resolve("bin/jobpilot").toString())));
        }
        Path work = Files.createTempDirectory("jobpilot-startup-bench");
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path batch = Files.writeString(work.resolve("batch.json"), "[{\"Url\": \"Sessions\", \"Method\": \"POST\"}]");
            List<String> sets = sets(sandbox, work);
            List<String> run = concat(List.of("run", "exago-batch", "-p", "batch=" + batch), sets);
            List<Case> cases = new ArrayList<>();
            cases.add(new Case("java -version", new Variant("floor", List.of(java)), List.of("-version"), false));
            for (Variant v : variants) {
                cases.add(new Case("run exago-batch (1 item)", v, run, true));
                cases.add(new Case("runs", v, concat(List.of("runs"), sets), false));
                cases.add(new Case("show RUN_ID", v, concat(List.of("show", SHOWN), sets), false));
            }
            measure(new Case("setup", variants.get(0), concat(run, List.of("--run-id", SHOWN)), true), sandbox, work);
            Map<Case, List<Sample>> samples = new LinkedHashMap<>();
            cases.forEach(c -> samples.put(c, new ArrayList<>()));
            for (int round = -1; round < rounds; round++) {
                List<Case> order = new ArrayList<>(cases);
                Collections.rotate(order, -Math.max(round, 0));
                for (Case c : order) {
                    Sample s = measure(c, sandbox, work);
                    if (round >= 0) {
                        samples.get(c).add(s);
                    }
                }
            }
            print(samples, rounds, notes);
        } finally {
            deleteTree(work);
        }
    }

    /** Every command line gets the sandbox, a ledger and an output directory of the benchmark's own. */
    private static List<String> sets(Sandbox sandbox, Path work) {
        Map<String, String> p = new LinkedHashMap<>(sandbox.connectionProperties());
        p.put("jobpilot.db.url", "jdbc:h2:file:" + work.resolve("ledger"));
        p.put("jobpilot.out", work.resolve("runs").toString());
        List<String> sets = new ArrayList<>();
        p.forEach((k, v) -> {
            sets.add("--set");
            sets.add(k + "=" + v);
        });
        return sets;
    }

    /** The archive as bin/jobpilot uses it: made (in the foreground here) when it is missing or older than the jar. */
    private static boolean archiveReady(Path home, Path jar, Path archive, List<String> notes) throws Exception {
        if (Files.exists(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            return true;
        }
        System.err.println("making " + archive + " (bin/jobpilot-archive)...");
        Path log = Files.createTempFile("jobpilot-archive", ".log");
        Process p = new ProcessBuilder(home.resolve("bin/jobpilot-archive").toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            notes.add("no AppCDS archive could be made (see " + log + "): the archive variants are left out");
            return false;
        }
        Files.delete(log);
        return true;
    }

    private static Sample measure(Case c, Sandbox sandbox, Path work) throws IOException, InterruptedException {
        List<String> line = concat(c.variant().launcher(), c.args());
        Path log = work.resolve("child.log");
        sandbox.journal().clear();
        ProcessBuilder pb = new ProcessBuilder(line).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(c.command() + " (" + c.variant().name() + ") did not end in 2 minutes");
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(c.command() + " (" + c.variant().name() + ") exited " + p.exitValue() + ":\n"
                    + Files.readString(log));
        }
        Double first = null;
        if (c.callsVendor()) {
            Instant at = sandbox.journal().all().stream().map(RequestJournal.Entry::at).min(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException(c.command() + " sent no vendor request"));
            first = Duration.between(start, at).toNanos() / 1e9;
        }
        return new Sample(wall, first);
    }

    private static void print(Map<Case, List<Sample>> samples, int rounds, List<String> notes) throws IOException {
        System.out.printf("%nStart-up of the command line: %d rounds after one warm-up, order rotating; %d cores, %s %s; "
                        + "load average at the end %s%n%n", rounds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), loadAverage());
        System.out.println("| command | variant | wall min | wall median | first vendor request min | median | wall median vs no archive |");
        System.out.println("|---|---|---|---|---|---|---|");
        Map<String, Double> plain = new LinkedHashMap<>();
        for (Map.Entry<Case, List<Sample>> e : samples.entrySet()) {
            Case c = e.getKey();
            List<Double> wall = e.getValue().stream().map(Sample::wallSeconds).sorted().toList();
            double median = median(wall);
            if (c.variant().name().startsWith("java -jar, no")) {
                plain.put(c.command(), median);
            }
            String ratio = plain.containsKey(c.command()) ? String.format("%.2fx", plain.get(c.command()) / median) : "–";
            String first = "– | –";
            if (c.callsVendor()) {
                List<Double> f = e.getValue().stream().map(Sample::firstRequestSeconds).sorted().toList();
                first = String.format("%.2f s | %.2f s", f.get(0), median(f));
            }
            System.out.printf("| %s | %s | %.2f s | %.2f s | %s | %s |%n", c.command(), c.variant().name(), wall.get(0), median,
                    first, ratio);
        }
        System.out.println();
        System.out.println("Targets: first vendor request of run within 1.2 s of process start; runs and show within 0.6 s.");
        notes.forEach(System.out::println);
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String loadAverage() throws IOException {
        Path proc = Path.of("/proc/loadavg");
        return Files.exists(proc) ? String.join(" ", List.of(Files.readString(proc).split(" ")).subList(0, 3)) : "unknown";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
