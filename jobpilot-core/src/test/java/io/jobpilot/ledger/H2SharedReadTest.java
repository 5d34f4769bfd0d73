package io.jobpilot.ledger;

import io.jobpilot.ledger.Ledger.FileInUse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which way a reader reaches a shared H2 file, from what the file's lock file says. */
class H2SharedReadTest {
    @TempDir
    Path dir;

    private LedgerSettings settings() {
        return LedgerSettings.of("jdbc:h2:file:" + dir.resolve("ledger") + ";TRACE_LEVEL_FILE=0", "sa", "", "127.0.0.1");
    }

    @Test
    void aFileNobodyHoldsIsReadReadOnlyUnderItsOwnNameWithoutSharing() {
        assertThat(H2SharedRead.url(settings())).isEqualTo("jdbc:h2:file:" + dir.resolve("ledger")
                + ";TRACE_LEVEL_FILE=0;MAX_COMPACT_TIME=10000;IFEXISTS=TRUE;ACCESS_MODE_DATA=r");
    }

    @Test
    void aServerThatAnswersIsReadThrough() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            lock("server=127.0.0.1\\:" + server.getLocalPort() + "\nid=abc123\nmethod=file\n", Instant.now().minusSeconds(3600));
            assertThat(H2SharedRead.url(settings())).isEqualTo("jdbc:h2:tcp://127.0.0.1:" + server.getLocalPort() + "/abc123");
        }
    }

    @Test
    void aLockWrittenJustNowWithoutAServerIsLookedAtAgainLater() throws Exception {
        lock("id=abc123\nmethod=file\n", Instant.now());
        assertThatThrownBy(() -> H2SharedRead.url(settings())).isInstanceOfSatisfying(FileInUse.class,
                e -> assertThat(e.duringHandover()).isTrue());
    }

    @Test
    void anOldLockWhoseServerIsGoneIsOpenedAsAWriterDoesWhichTakesItOver() throws Exception {
        int gone;
        try (ServerSocket server = new ServerSocket(0)) {
            gone = server.getLocalPort();
        }
        lock("server=127.0.0.1\\:" + gone + "\nid=abc123\nmethod=file\n", Instant.now().minusSeconds(60));
        assertThat(H2SharedRead.url(settings())).isEqualTo(settings().existingJdbcUrl());
    }

    private void lock(String properties, Instant written) throws Exception {
        Path lock = Files.writeString(dir.resolve("ledger.lock.db"), properties);
        Files.setLastModifiedTime(lock, FileTime.from(written));
    }
}
