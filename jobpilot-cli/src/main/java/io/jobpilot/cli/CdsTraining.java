package io.jobpilot.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The workload whose classes go into jobpilot's class-data sharing archive (AppCDS, see bin/jobpilot-archive), so
 * that later commands find them parsed and verified already: `jobpilot demo` (every workflow against the built-in
 * simulators), then `runs` and `show`, on a ledger and an output directory of its own, deleted afterwards. Not a
 * command for users: it prints nothing and touches none of their runs.
 */
public final class CdsTraining {
    private static final Pattern RUN_ID = Pattern.compile("\"runId\"\\s*:\\s*\"([^\"]+)\"");

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("jobpilot-cds-training");
        try {
            String[] own = {"--set", "jobpilot.db.url=jdbc:h2:file:" + dir.resolve("ledger"), "--set", "jobpilot.out=" + dir.resolve("runs")};
            quietly("demo", own);
            quietly("runs", own);
            Matcher first = RUN_ID.matcher(quietly("runs", own, "--json"));
            quietly("show", own, first.find() ? first.group(1) : "none");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.exit(0);
    }

    /** One command in this JVM; what it printed on stdout. */
    private static String quietly(String command, String[] own, String... args) {
        StringWriter out = new StringWriter();
        String[] line = Stream.of(Stream.of(command), Stream.of(args), Stream.of(own)).flatMap(s -> s).toArray(String[]::new);
        JobpilotCommand.execute(line, new PrintWriter(out, true), new PrintWriter(Writer.nullWriter()));
        return out.toString();
    }
}
