package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;

/**
 * Quartz's JDBC job store tables, from the DDL that ships inside the quartz jar for this database (H2 or PostgreSQL),
 * so schedules survive restarts and fire once across a cluster.
 */
public class V2_1__Quartz_tables extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase();
        String script = product.contains("postgres") ? "tables_postgres.sql" : "tables_h2.sql";
        try (Statement st = context.getConnection().createStatement()) {
            for (String sql : statements(read("org/quartz/impl/jdbcjobstore/" + script))) {
                st.execute(sql);
            }
        }
    }

    static String read(String resource) throws IOException {
        try (InputStream in = V2_1__Quartz_tables.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the quartz jar has no " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The script's statements without comments; transaction control is left to Flyway. */
    static java.util.List<String> statements(String script) {
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (!t.startsWith("--") && !t.startsWith("#")) {
                sb.append(line).append('\n');
            }
        }
        return java.util.Arrays.stream(sb.toString().split(";")).map(String::strip).filter(s -> !s.isEmpty())
                .filter(s -> !s.equalsIgnoreCase("commit") && !s.equalsIgnoreCase("begin")).toList();
    }
}
