package io.jobpilot.ledger;

import io.jobpilot.config.JobpilotConfig.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An H2 ledger keeps H2's background writer (which compacts the file) and still has each commit in the file before
 * the write returns. The file is copied while the ledger is open: the copy is what a process killed at that moment
 * leaves behind.
 */
class LedgerDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void onlyAnH2FileWithItsBackgroundWriterOnIsCheckpointed() {
        assertThat(settings("jdbc:h2:file:./data/jobpilot").checkpointsEachCommit()).isTrue();
        assertThat(settings("jdbc:h2:file:./data/jobpilot;WRITE_DELAY=500").checkpointsEachCommit()).isTrue();
        assertThat(settings("jdbc:h2:file:./data/jobpilot;write_delay=0").checkpointsEachCommit()).isFalse();
        assertThat(settings("jdbc:h2:mem:x").checkpointsEachCommit()).isFalse();
        assertThat(settings("jdbc:postgresql://db:5432/jobpilot").checkpointsEachCommit()).isFalse();
        assertThat(settings("jdbc:h2:file:./data/jobpilot").url()).doesNotContain("WRITE_DELAY");
    }

    @Test
    void aLedgerWriteIsInTheFileWhenItReturnsWhereAPlainCommitWaitsForTheWriter() throws Exception {
        // a writer that would wait 20 s: whatever is in the file at once was put there by the checkpoint
        String url = "jdbc:h2:file:" + dir.resolve("ledger") + ";WRITE_DELAY=60000";
        try (Ledger ledger = Ledger.open(url, "sa", "", 2)) {
            try (Connection c = ledger.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE probe (n INT)");
                s.execute("CHECKPOINT");
            }
            ledger.update("INSERT INTO probe VALUES (1)");
            assertThat(probeOfCopy("after-ledger-write")).containsExactly(1);

            try (Connection c = ledger.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO probe VALUES (2)");
            }
            assertThat(probeOfCopy("after-plain-commit")).as("a commit the ledger did not checkpoint waits for H2's writer")
                    .containsExactly(1);

            ledger.together(() -> ledger.update("INSERT INTO probe VALUES (3)"));
            assertThat(probeOfCopy("after-together")).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aUserWhoMayNotCheckpointIsRefusedAtOpenInOneLine() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("ledger");
        try (Ledger created = Ledger.open(url, "sa", "", 2);
             Connection c = created.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE USER app PASSWORD 'app-secret'");
            s.execute("GRANT ALL ON SCHEMA PUBLIC TO app");
        }
        assertThatThrownBy(() -> Ledger.open(url, "app", "app-secret", 2).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobpilot.db.username app is not an admin")
                .hasMessageContaining("WRITE_DELAY=0")
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("app-secret");
    }

    private static LedgerSettings settings(String url) {
        return LedgerSettings.of(url, "sa", "", "127.0.0.1");
    }

    /** The probe table as a process killed now would leave it: a copy of the file, opened on its own. */
    private List<Integer> probeOfCopy(String name) throws IOException, SQLException {
        Path copy = dir.resolve(name + ".mv.db");
        Files.copy(dir.resolve("ledger.mv.db"), copy);
        List<Integer> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve(name) + ";IFEXISTS=TRUE", "sa", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM probe ORDER BY n")) {
            while (rs.next()) {
                rows.add(rs.getInt(1));
            }
        }
        return rows;
    }
}
