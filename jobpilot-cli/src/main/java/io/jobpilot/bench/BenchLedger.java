package io.jobpilot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The in-flight benchmark's ledger, made fresh for one measurement: an H2 file in the benchmark's folder, or a new
 * database on a PostgreSQL server (dropped afterwards), and how many bytes it takes.
 */
abstract class BenchLedger {
    private static final Pattern DATABASE = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");

    abstract String url();

    abstract long bytes() throws Exception;

    abstract void drop();

    static BenchLedger h2(Path dir) {
        return new BenchLedger() {
            @Override
            String url() {
                return "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath();
            }

            @Override
            long bytes() throws IOException {
                try (Stream<Path> files = Files.walk(dir)) {
                    return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                }
            }

            @Override
            void drop() {
                // the folder goes with the benchmark's
            }
        };
    }

    /** A new database on the server {@code serverUrl} names (its own database is only used to make and drop it). */
    static BenchLedger freshPostgres(String serverUrl) throws SQLException {
        Matcher m = DATABASE.matcher(serverUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("--db: not a jdbc:postgresql://host:port/database URL: " + serverUrl);
        }
        String name = "jobpilot_bench_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = m.group(1) + name + m.group(3);
        return new BenchLedger() {
            @Override
            String url() {
                return url;
            }

            @Override
            long bytes() throws SQLException {
                try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT pg_database_size('" + name + "')")) {
                    r.next();
                    return r.getLong(1);
                }
            }

            @Override
            void drop() {
                try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + name);
                } catch (SQLException e) {
                    System.err.println("  could not drop the benchmark's database " + name + ": " + e.getMessage());
                }
            }
        };
    }
}
