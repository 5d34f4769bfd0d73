package io.jobpilot.ledger;

import org.h2.engine.SessionLocal;
import org.h2.engine.SessionRemote;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How an H2 file passes between the processes that share it. A connection through the file's embedded server (the
 * tcp URL its lock file names) is what another process holds; a reader of a file nobody holds must not become the
 * process everyone else then has to take the file over from.
 */
class LedgerHandOverTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("ledger");
    }

    private Path lockFile() {
        return dir.resolve("ledger.lock.db");
    }

    @Test
    void closingTheLedgerEndsOtherProcessesSessionsAndDeletesTheLockFile() throws Exception {
        Ledger ledger = Ledger.open(url(), "sa", "", 2);
        try (Connection otherProcess = DriverManager.getConnection(serverUrl(), "sa", "")) {
            assertThat(count(otherProcess)).isPositive();
            ledger.close();
            assertThat(lockFile()).as("the file is free for the next process at once, not stale until this JVM exits")
                    .doesNotExist();
            assertThat(otherProcess.isValid(1)).as("the other process's session ended with the database").isFalse();
        }
    }

    @Test
    void closingTheLedgerLeavesTheDatabaseToWhatElseInThisJvmUsesIt() throws Exception {
        Ledger ledger = Ledger.open(url(), "sa", "", 2);
        try (Connection quartz = DriverManager.getConnection(LedgerSettings.of(url(), "sa", "", "127.0.0.1").jdbcUrl(), "sa", "")) {
            assertThat(quartz.unwrap(JdbcConnection.class).getSession()).isInstanceOf(SessionLocal.class);
            ledger.close();
            assertThat(count(quartz)).as("this JVM's other user of the database goes on").isPositive();
            assertThat(lockFile()).exists();
        }
        assertThat(lockFile()).as("its last user closes it").doesNotExist();
    }

    @Test
    void aReaderOfAFileNobodyHoldsTakesNoLockAndAWriterThatComesMeanwhileOpensItOnceTheReadIsDone() throws Exception {
        Ledger.open(url(), "sa", "", 2).close();
        Ledger reader = Ledger.openReadOnly(settings()).orElseThrow();
        CompletableFuture<Ledger> writer = new CompletableFuture<>();
        Thread writing = new Thread(() -> {
            try {
                writer.complete(Ledger.open(url(), "sa", "", 2));
            } catch (RuntimeException e) {
                writer.completeExceptionally(e);
            }
        }, "writer");
        try (Connection c = reader.dataSource().getConnection()) {
            assertThat(lockFile()).as("the reader holds no lock, so it never serves the file").doesNotExist();
            writing.start();
            await().atMost(Duration.ofSeconds(8)).until(() -> Arrays.stream(writing.getStackTrace())
                    .anyMatch(frame -> frame.getMethodName().equals("pause")));   // it met the reader, and waits
            assertThat(count(c)).isPositive();
        } finally {
            reader.close();
        }
        try (Ledger opened = writer.get(30, TimeUnit.SECONDS)) {
            opened.update("CREATE TABLE probe (n INT)");
            assertThat(serverUrl()).as("the writer serves the file").startsWith("jdbc:h2:tcp://");
        }
    }

    @Test
    void aReaderOfAServedFileConnectsThroughItsServerAndLeavesItOpen() throws Exception {
        try (Ledger writer = Ledger.open(url(), "sa", "", 2)) {
            try (Ledger reader = Ledger.openReadOnly(settings()).orElseThrow();
                 Connection c = reader.dataSource().getConnection()) {
                assertThat(c.unwrap(JdbcConnection.class).getSession()).isInstanceOf(SessionRemote.class);
                assertThat(count(c)).isPositive();
            }
            writer.update("CREATE TABLE probe (n INT)");
            assertThat(lockFile()).exists();
        }
    }

    @Test
    void aReadThatMeetsTheServingProcessShuttingTheFileDownIsMadeAgain() {
        // H2 answers 90135 (exclusive mode) to a session whose server is running SHUTDOWN as its process exits
        int[] reads = {0};
        String found = Ledger.whileServerExits(() -> {
            if (reads[0]++ == 0) {
                throw new Ledger.LedgerException("reading the run ledger failed",
                        new SQLException("The database is open in exclusive mode", "90135", LedgerOpening.H2_EXCLUSIVE_MODE));
            }
            return "runs";
        });
        assertThat(found).isEqualTo("runs");
        assertThat(reads[0]).isEqualTo(2);
    }

    private LedgerSettings settings() {
        return LedgerSettings.of(url(), "sa", "", "127.0.0.1");
    }

    /** The URL another process reaches the file's embedded server with, as H2 writes it in the lock file. */
    private String serverUrl() throws Exception {
        Properties lock = new Properties();
        try (InputStream in = Files.newInputStream(lockFile())) {
            lock.load(in);
        }
        return "jdbc:h2:tcp://" + lock.getProperty("server") + "/" + lock.getProperty("id");
    }

    private static int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\"")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
