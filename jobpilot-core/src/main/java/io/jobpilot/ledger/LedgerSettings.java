package io.jobpilot.ledger;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.config.JobpilotConfig.ConfigException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the ledger database is reached: the one place its JDBC URL gets its default and the options that make an H2
 * file safe to share. Every opener (a command, serve, an embedding host, Quartz's job store) uses {@link #url()}, so
 * an explicit {@code jdbc:h2:file:} URL behaves exactly as the default does.
 *
 * <p>An H2 file gets {@code AUTO_SERVER=TRUE} (the first process to open it serves it to the others, over a TCP
 * port bound to {@link #bindAddress()}) and {@code MAX_COMPACT_TIME} of {@value #CLOSE_COMPACT_MS} ms, unless the URL
 * says otherwise. Options the user wrote are kept as written.
 *
 * <p>Every commit is on disk before the caller goes on, so a killed process loses nothing it recorded. H2's
 * WRITE_DELAY=0 would give that too, but it also turns off H2's background writer, the only thing that compacts the
 * file while it is open: each commit writes a chunk, a chunk stays as long as one of its pages is live, and a
 * long-lived serve's file grew to ~50 times its live data (2% of its chunks' pages live, measured by
 * {@code bin/benchmark inflight}). So the background writer stays on at H2's own WRITE_DELAY, and each commit is
 * followed by a CHECKPOINT that writes it at once ({@link #checkpointsEachCommit()}). H2 compacts the file as it goes,
 * rewriting chunks older than its RETENTION_TIME (45 s), and again when the ledger closes, for at most
 * MAX_COMPACT_TIME (its default, 200 ms, left most of it: with 10 s, 1.3 KB per run remained).
 */
public record LedgerSettings(String url, String username, String password, String bindAddress) {
    /** The ledger when jobpilot.db.url is not set: an H2 file under the working directory. */
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/jobpilot";
    /** Where the embedded H2 server listens unless jobpilot.db.server-bind-address says otherwise. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    /** How long H2 may compact the file when the ledger closes. */
    static final int CLOSE_COMPACT_MS = 10_000;

    private static final String H2_FILE = "jdbc:h2:file:";
    private static final String H2_MEM = "jdbc:h2:mem:";

    /**
     * The URL handed to the driver (the pool's and Quartz's). A thread interrupted while H2 writes its file closes the
     * whole embedded database for every connection (NIO closes the channel), and Quartz interrupts its own threads when
     * it shuts down, whatever they are doing: H2's {@code retry:} file system reopens the file and tries again.
     */
    public String jdbcUrl() {
        return url.startsWith(H2_FILE) ? "jdbc:h2:retry:" + url.substring(H2_FILE.length()) : url;
    }

    /** The URL a reader opens: an H2 file that is not there stays not there (IFEXISTS), instead of being created empty. */
    public String existingJdbcUrl() {
        return isH2File() && !options(url).containsKey("IFEXISTS") ? jdbcUrl() + ";IFEXISTS=TRUE" : jdbcUrl();
    }

    /** The file an H2 file URL names, as H2 writes it (absolute, unless it is under the user's home, {@code ~}). */
    String h2File() {
        String path = url.substring(H2_FILE.length()).split(";")[0];
        return (path.startsWith("~") ? path : Path.of(path).toAbsolutePath().normalize().toString()) + ".mv.db";
    }

    public static LedgerSettings from(JobpilotConfig config) {
        return of(config.get("jobpilot.db.url"), config.require("jobpilot.db.username"), config.get("jobpilot.db.password", ""),
                config.require("jobpilot.db.server-bind-address"));
    }

    /** {@code configured} null means the default ledger. */
    public static LedgerSettings of(String configured, String username, String password, String bindAddress) {
        return new LedgerSettings(shareable(configured == null ? DEFAULT_URL : configured), username, password, bindAddress);
    }

    private static String shareable(String url) {
        if (!url.startsWith(H2_FILE)) {
            return url;
        }
        Map<String, String> options = options(url);
        StringBuilder out = new StringBuilder(url);
        if (!options.containsKey("AUTO_SERVER") && !excludesSharing(options)) {
            out.append(";AUTO_SERVER=TRUE");
        }
        if (!options.containsKey("MAX_COMPACT_TIME")) {
            out.append(";MAX_COMPACT_TIME=" + CLOSE_COMPACT_MS);
        }
        return out.toString();
    }

    /**
     * Options with which H2 refuses AUTO_SERVER: the user chose a file only one process may open (or, with
     * FILE_LOCK=NO, an unprotected one), so jobpilot keeps that choice instead of failing every open.
     */
    private static boolean excludesSharing(Map<String, String> options) {
        String lock = options.getOrDefault("FILE_LOCK", "FILE");
        return !lock.equals("FILE") || options.getOrDefault("DB_CLOSE_ON_EXIT", "TRUE").equals("FALSE")
                || options.containsKey("ACCESS_MODE_DATA");
    }

    /** The URL's options, names and values upper-cased ({@code jdbc:h2:file:x;AUTO_SERVER=true} gives AUTO_SERVER=TRUE). */
    static Map<String, String> options(String url) {
        Map<String, String> options = new LinkedHashMap<>();
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                options.put(parts[i].substring(0, eq).trim().toUpperCase(Locale.ROOT), parts[i].substring(eq + 1).trim().toUpperCase(Locale.ROOT));
            }
        }
        return options;
    }

    /**
     * True when each commit must be followed by a CHECKPOINT to be on disk at once: an H2 file with its background
     * writer on, i.e. unless the URL sets WRITE_DELAY=0 (then H2 writes each commit itself). CHECKPOINT needs an H2
     * user with admin rights, as the user that created the file has.
     */
    public boolean checkpointsEachCommit() {
        return isH2File() && !"0".equals(options(url).get("WRITE_DELAY"));
    }

    public boolean isH2File() {
        return url.startsWith(H2_FILE);
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** True when other processes can open this ledger while this one has it open. */
    public boolean shared() {
        return !isH2File() || "TRUE".equals(options(url).get("AUTO_SERVER"));
    }

    /** An H2 file the ledger closes itself at exit (see {@link H2ExitClose}), unless the URL leaves that to H2. */
    boolean closedByLedger() {
        return isH2File() && !options(url).containsKey("DB_CLOSE_ON_EXIT");
    }

    /** The option of the URL that keeps the H2 file to one process, for the message when another one holds it. */
    String sharingExcludedBy() {
        Map<String, String> options = options(url);
        return options.entrySet().stream().filter(e -> e.getKey().equals("AUTO_SERVER") || e.getKey().equals("FILE_LOCK")
                        || e.getKey().equals("DB_CLOSE_ON_EXIT") || e.getKey().equals("ACCESS_MODE_DATA"))
                .map(e -> e.getKey() + "=" + e.getValue()).findFirst().orElse("its options");
    }

    /**
     * For the command line, whose processes come and go: an in-memory H2 database ends with the process that made it,
     * so what one command records another could never read (and a run could never be resumed).
     */
    public LedgerSettings requireOutlivesProcess() {
        if (url.startsWith(H2_MEM)) {
            throw new ConfigException("jobpilot.db.url is an in-memory H2 database (jdbc:h2:mem:), which ends with this process: "
                    + "use jdbc:h2:file:<path> (shared by the processes of one machine) or jdbc:postgresql: (several machines)");
        }
        return this;
    }
}
