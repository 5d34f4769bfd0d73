package io.jobpilot.ledger;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two processes opening one shared H2 file at the same moment: H2 lets one create the lock file and tells the other
 * "Another process was faster". That process must open the file again (it reaches the new server), not end the run.
 */
class LedgerOpenRaceTest {
    private static final LedgerSettings SHARED = LedgerSettings.of("jdbc:h2:file:./x/jobpilot", "sa", "", "127.0.0.1");
    private static final LedgerSettings UNSHARED = LedgerSettings.of("jdbc:h2:file:./x/jobpilot;FILE_LOCK=SOCKET", "sa", "", "127.0.0.1");

    private static SQLException h2(int code, String message) {
        return new SQLException(message, "HY000", code);
    }

    @Test
    void anOpenThatLostTheLockFileRaceIsMadeAgain() {
        AtomicInteger attempts = new AtomicInteger();
        String opened = Ledger.whileServerExits(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw LedgerOpening.failure(SHARED, h2(8000, "Error opening database: \"Another process was faster\" [8000-232]"));
            }
            return "opened";
        });
        assertThat(opened).isEqualTo("opened");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aFileKeptToOneProcessIsNotTriedAgainAndSaysWhy() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> Ledger.whileServerExits(() -> {
            attempts.incrementAndGet();
            throw LedgerOpening.failure(UNSHARED, h2(90020, "Database may be already in use: \"Locked by another process\" [90020-232]"));
        })).isInstanceOf(Ledger.FileInUse.class).hasMessageContaining("FILE_LOCK").hasMessageNotContaining("\n");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void anOpenThatMetTheServersShutdownIsMadeAgain() {
        AtomicInteger attempts = new AtomicInteger();
        String opened = Ledger.whileServerExits(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw LedgerOpening.failure(SHARED, h2(90135,
                        "The database is open in exclusive mode; can not open additional connections [90135-232]"));
            }
            return "opened";
        });
        assertThat(opened).isEqualTo("opened");
        assertThat(attempts).hasValue(2);
    }
}
