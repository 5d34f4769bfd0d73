package io.jobpilot.ledger;

import io.jobpilot.ledger.Ledger.FileInUse;
import io.jobpilot.run.Secrets;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * How a command that only reads (runs, show) reaches an H2 file that processes share, without ever taking the file
 * over from them. H2 lets the first process that opens the file serve it; had a reader done that, every process that
 * came meanwhile (a `jobpilot run` starting) would have to take the file over from the reader a moment later, in H2's
 * lock-file protocol: seconds of waiting, in which every process that opens the file races the others, while more
 * readers keep coming. So a reader looks at the file's lock file first:
 * <ul>
 * <li>no lock file: nobody has the file open, and the reader opens it read-only, which takes no lock (H2 refuses it
 * once a lock file exists);</li>
 * <li>a lock file naming a server that answers: the reader connects to that server;</li>
 * <li>a lock file written just now without a server that answers: its process is opening the file (its server comes
 * moments later) or closing it; the reader looks again after a pause ({@link LedgerOpening#whileServerExits});</li>
 * <li>an older one: a process was killed with the file open, or holds it without sharing it; the reader opens the file
 * as a writer does, which takes a stale lock over, or says who holds it.</li>
 * </ul>
 */
final class H2SharedRead {
    /** H2 takes a lock file that has not changed for this long for one whose process may be gone (TIME_GRANULARITY). */
    private static final Duration SETTLED = Duration.ofSeconds(2);
    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private H2SharedRead() {
    }

    /** The URL this reader opens the shared H2 file of {@code settings} with, now. */
    static String url(LedgerSettings settings) {
        Path lockFile = lockFile(settings);
        Properties lock;
        Instant written;
        try (InputStream in = Files.newInputStream(lockFile)) {
            written = Files.getLastModifiedTime(lockFile).toInstant();
            lock = new Properties();
            lock.load(in);
        } catch (NoSuchFileException e) {
            return readOnlyUrl(settings);
        } catch (IOException e) {
            return settings.existingJdbcUrl();         // unreadable: H2's own open says why
        }
        String server = lock.getProperty("server");
        String id = lock.getProperty("id");
        if (server != null && id != null && answers(server)) {
            return "jdbc:h2:tcp://" + server + "/" + id;
        }
        if (Duration.between(written, Instant.now()).compareTo(SETTLED) < 0) {
            throw new FileInUse(true, "the run ledger " + Secrets.scrub(settings.url()) + " stayed locked while other "
                    + "processes opened or closed it; try again");
        }
        return settings.existingJdbcUrl();
    }

    /**
     * The user's URL, read-only, only if the file exists, without AUTO_SERVER (H2 refuses it read-only), and without
     * the {@code retry:} file system: under a name of its own, a read-only database this JVM opened is never the one
     * a writer in this JVM gets when it opens the file a moment later.
     */
    static String readOnlyUrl(LedgerSettings settings) {
        return Arrays.stream(settings.url().split(";")).filter(part -> !part.trim().toUpperCase(Locale.ROOT).startsWith("AUTO_SERVER="))
                .collect(Collectors.joining(";")) + (LedgerSettings.options(settings.url()).containsKey("IFEXISTS") ? "" : ";IFEXISTS=TRUE")
                + ";ACCESS_MODE_DATA=r";
    }

    static Path lockFile(LedgerSettings settings) {
        String file = settings.h2File();
        if (file.startsWith("~")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        return Path.of(file.substring(0, file.length() - ".mv.db".length()) + ".lock.db");
    }

    private static boolean answers(String server) {
        int colon = server.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1))),
                    CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
