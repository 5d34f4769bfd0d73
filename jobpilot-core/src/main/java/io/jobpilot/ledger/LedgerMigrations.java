package io.jobpilot.ledger;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;

import javax.sql.DataSource;

/**
 * Flyway, for what the cheap look of {@link LedgerSchema} leaves open: creating or migrating the schema, and telling a
 * reader where a schema stands that the look could not vouch for. Kept apart so that Flyway's classes load only then.
 */
final class LedgerMigrations {
    private LedgerMigrations() {
    }

    static void migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:" + LedgerSchema.LOCATION).load().migrate();
    }

    /** Flyway's own reading: NONE, OLDER (a migration pending) or CURRENT. */
    static LedgerSchema.Look look(DataSource ds) {
        MigrationInfoService info = Flyway.configure().dataSource(ds).locations("classpath:" + LedgerSchema.LOCATION).load().info();
        if (info.current() == null) {
            return new LedgerSchema.Look(LedgerSchema.State.NONE, null);
        }
        return new LedgerSchema.Look(info.pending().length > 0 ? LedgerSchema.State.OLDER : LedgerSchema.State.CURRENT,
                info.current().getVersion().toString());
    }
}
