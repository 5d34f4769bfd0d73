package io.jobpilot.ledger;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-query look at a ledger's schema that lets readers, and writers of an up-to-date ledger, do without Flyway. */
class LedgerSchemaTest {
    @TempDir
    Path tmp;

    /** H2 is loaded here before any ledger opens: it must listen where the ledger would have it (H2ServerAddress). */
    @BeforeAll
    static void h2OnLoopback() {
        H2ServerAddress.bindTo(LedgerSettings.DEFAULT_BIND_ADDRESS, false);
    }

    private String url(String name) {
        return "jdbc:h2:file:" + tmp.resolve(name).toAbsolutePath();
    }

    @Test
    void seesNoSchemaAnOlderOneAndTheCurrentOne() throws Exception {
        String url = url("ledger");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(LedgerSchema.of(c).state()).isEqualTo(LedgerSchema.State.NONE);
        }
        Flyway.configure().dataSource(url, "sa", "").target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(LedgerSchema.of(c)).isEqualTo(new LedgerSchema.Look(LedgerSchema.State.OLDER, "3"));
        }
        Flyway.configure().dataSource(url, "sa", "").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(LedgerSchema.of(c).state()).as("every migration Flyway knows is applied").isEqualTo(LedgerSchema.State.CURRENT);
        }
    }

    @Test
    void leavesAFailedMigrationToFlyway() throws Exception {
        String url = url("failed");
        Flyway.configure().dataSource(url, "sa", "").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '6'");
            assertThat(LedgerSchema.of(c).state()).isEqualTo(LedgerSchema.State.UNKNOWN);
        }
    }

    @Test
    void namesTheMigrationsShippedTheWayFlywayDoes() throws Exception {
        Path root = tmp.resolve("cp/db/migration");
        Files.createDirectories(root.resolve("more"));
        for (String f : List.of("V1__first.sql", "V2_1__Java_one.class", "V2_1__Java_one$1.class", "more/V10__later.sql")) {
            Files.writeString(root.resolve(f), "");
        }
        try (URLClassLoader loader = loader(tmp.resolve("cp"))) {
            assertThat(LedgerSchema.list(loader)).contains(Set.of(List.of(BigInteger.ONE), List.of(BigInteger.TWO, BigInteger.ONE),
                    List.of(BigInteger.TEN)));
        }
        Files.writeString(root.resolve("R__repeatable.sql"), "");
        try (URLClassLoader loader = loader(tmp.resolve("cp"))) {
            assertThat(LedgerSchema.list(loader)).as("a kind of migration the look does not know: Flyway decides").isEmpty();
        }
    }

    @Test
    void readsVersionsAsFlywayDoes() {
        assertThat(LedgerSchema.parse("2.1")).isEqualTo(LedgerSchema.parse("2_1")).isEqualTo(LedgerSchema.parse("2.1.0"));
        assertThat(LedgerSchema.parse("1.0")).isEqualTo(List.of(BigInteger.ONE));
    }

    private static URLClassLoader loader(Path root) throws Exception {
        return new URLClassLoader(new URL[]{root.toUri().toURL()}, null);
    }
}
