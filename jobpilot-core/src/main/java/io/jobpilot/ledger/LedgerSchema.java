package io.jobpilot.ledger;

import java.io.IOException;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a ledger's schema stands, from one query of Flyway's history table and a listing of the migrations this
 * jobpilot ships: a command that only reads, or a writer whose ledger is already up to date, needs no Flyway at all
 * (hundreds of classes and a classpath scan at every start). Anything this look cannot vouch for (a failed migration,
 * a migration it cannot name, a history it cannot read) is {@link State#UNKNOWN}, and Flyway decides as before. A
 * CURRENT ledger is not re-validated: an applied migration edited afterwards goes unnoticed until the next migration.
 */
final class LedgerSchema {
    /** Flyway's default location, as Ledger configures it. */
    static final String LOCATION = "db/migration";
    private static final String HISTORY = "SELECT \"version\", \"success\" FROM \"flyway_schema_history\"";
    /** Versioned migrations the way Flyway names them by default: V2__x.sql, or a Java migration class V2_1__X. */
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__[^$/]+\\.(sql|class)");
    /** SQL states of a table that does not exist: H2's (plain, with candidates, in an empty database) and PostgreSQL's. */
    private static final Set<String> NO_TABLE = Set.of("42S02", "42S03", "42S04", "42P01");

    enum State {
        /** No schema history: nothing has been recorded yet. */
        NONE,
        /** Every migration this jobpilot ships has been applied (and none failed). */
        CURRENT,
        /** Some migration this jobpilot ships is not applied yet. */
        OLDER,
        /** Flyway must look (see the class comment). */
        UNKNOWN
    }

    /** @param version the highest version applied, as Flyway recorded it (null when none) */
    record Look(State state, String version) {
    }

    /** The migrations on the classpath, listed once, when first needed. */
    private static final class Shipped {
        static final Optional<Set<List<BigInteger>>> VERSIONS = list(LedgerSchema.class.getClassLoader());
    }

    private LedgerSchema() {
    }

    static Look of(Connection connection) {
        Optional<Set<List<BigInteger>>> ours = Shipped.VERSIONS;
        if (ours.isEmpty()) {
            return new Look(State.UNKNOWN, null);
        }
        Set<List<BigInteger>> applied = new HashSet<>();
        List<BigInteger> highest = null;
        String highestText = null;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(HISTORY)) {
            while (rs.next()) {
                String version = rs.getString(1);
                if (!rs.getBoolean(2)) {
                    return new Look(State.UNKNOWN, null);
                }
                if (version != null) {
                    List<BigInteger> v = parse(version);
                    applied.add(v);
                    if (highest == null || compare(v, highest) > 0) {
                        highest = v;
                        highestText = version;
                    }
                }
            }
        } catch (SQLException e) {
            return new Look(NO_TABLE.contains(e.getSQLState()) ? State.NONE : State.UNKNOWN, null);
        } catch (NumberFormatException e) {
            return new Look(State.UNKNOWN, null);
        }
        if (highest == null) {
            return new Look(State.NONE, null);
        }
        return new Look(applied.containsAll(ours.get()) ? State.CURRENT : State.OLDER, highestText);
    }

    /** The versions of the migrations {@code loader} has, empty when one of them is not a plain versioned one. */
    static Optional<Set<List<BigInteger>>> list(ClassLoader loader) {
        try {
            List<String> names = new ArrayList<>();
            Enumeration<URL> roots = loader.getResources(LOCATION);
            while (roots.hasMoreElements()) {
                if (!names(roots.nextElement(), names)) {
                    return Optional.empty();
                }
            }
            Set<List<BigInteger>> versions = new HashSet<>();
            for (String name : names) {
                if (name.contains("$")) {
                    continue;        // a Java migration's inner or anonymous class
                }
                Matcher m = VERSIONED.matcher(name);
                if (!m.matches()) {
                    return Optional.empty();
                }
                versions.add(parse(m.group(1)));
            }
            return versions.isEmpty() ? Optional.empty() : Optional.of(Collections.unmodifiableSet(versions));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The file names below one classpath root's migration folder (at any depth, as Flyway scans); false: unknown kind of root. */
    private static boolean names(URL root, List<String> out) throws IOException, URISyntaxException {
        if (root.getProtocol().equals("file")) {
            try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
                files.filter(Files::isRegularFile).forEach(f -> out.add(f.getFileName().toString()));
            }
            return true;
        }
        if (root.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                String prefix = LOCATION + "/";
                jar.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(prefix))
                        .forEach(e -> out.add(e.getName().substring(e.getName().lastIndexOf('/') + 1)));
            }
            return true;
        }
        return false;
    }

    /** Flyway's reading of a version: parts split at '.' or '_', trailing zero parts dropped (1.0 is 1). */
    static List<BigInteger> parse(String version) {
        List<BigInteger> parts = new ArrayList<>();
        for (String p : version.split("[._]")) {
            parts.add(new BigInteger(p));
        }
        while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        return List.copyOf(parts);
    }

    private static int compare(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int c = (i < a.size() ? a.get(i) : BigInteger.ZERO).compareTo(i < b.size() ? b.get(i) : BigInteger.ZERO);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
