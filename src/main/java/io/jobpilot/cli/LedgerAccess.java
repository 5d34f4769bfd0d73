package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.ledger.Ledger;

/** The ledger alone, for commands that only read it (no Camel needed). */
final class LedgerAccess {
    private LedgerAccess() {
    }

    static Ledger open(JobpilotConfig cfg) {
        return Ledger.open(cfg.get("jobpilot.db.url", "jdbc:h2:file:./data/jobpilot;AUTO_SERVER=TRUE;WRITE_DELAY=0"), cfg.get("jobpilot.db.username", "sa"),
                cfg.get("jobpilot.db.password", ""), 2);
    }
}
