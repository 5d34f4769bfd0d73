package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.ledger.Ledger.LedgerException;
import io.jobpilot.ledger.LedgerSettings;
import io.jobpilot.run.UsageException;

import java.util.Optional;
import java.util.function.Function;

/** The ledger alone, for commands that only read it (no Camel needed): read-only, never created or migrated. */
final class LedgerAccess {
    private LedgerAccess() {
    }

    /**
     * What {@code reading} finds, or {@code nothingYet} when no run has been recorded (no schema yet). A read that
     * finds the database gone (the process serving the H2 file exited mid-read) is made again from a fresh open; one
     * that keeps finding it gone is one line, not a stack trace.
     */
    static <T> T read(JobpilotConfig cfg, Function<Ledger, T> reading, T nothingYet) {
        LedgerSettings settings = LedgerSettings.from(cfg).requireOutlivesProcess();
        try {
            return Ledger.whileServerExits(() -> {
                Optional<Ledger> opened = Ledger.openReadOnly(settings);
                if (opened.isEmpty()) {
                    return nothingYet;
                }
                try (Ledger ledger = opened.get()) {
                    return reading.apply(ledger);
                }
            });
        } catch (LedgerException e) {
            if (!e.isConnectionLost()) {
                throw e;
            }
            throw new UsageException("the run ledger kept closing while being read (the processes serving it were exiting); "
                    + "try again");
        }
    }
}
