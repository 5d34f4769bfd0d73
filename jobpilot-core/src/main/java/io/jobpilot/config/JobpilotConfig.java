package io.jobpilot.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * jobpilot's effective configuration: the defaults ({@value #DEFAULTS} on the classpath, built from the repository's
 * config/application.properties), then {@code config/application.properties}, then the environment
 * (JOBPILOT_IICS_PASSWORD for jobpilot.iics.password), then each {@code --config FILE}, then {@code --set}.
 * The merged map is handed to Camel too, so routes ({{...}}) and beans see the same values.
 */
public final class JobpilotConfig {
    private final Map<String, String> values;
    private final Map<String, String> env;

    private JobpilotConfig(Map<String, String> values, Map<String, String> env) {
        this.values = values;
        this.env = env;
    }

    public static JobpilotConfig load(Path defaults, List<Path> configFiles, Map<String, String> sets) {
        return load(defaults, configFiles, sets, System.getenv());
    }

    public static JobpilotConfig load(Path defaults, List<Path> configFiles, Map<String, String> sets, Map<String, String> env) {
        Map<String, String> merged = new LinkedHashMap<>(defaults());
        if (defaults != null && Files.exists(defaults)) {
            merged.putAll(read(defaults));
        }
        for (String key : List.copyOf(merged.keySet())) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                merged.put(key, fromEnv);
            }
        }
        for (Path file : configFiles) {
            if (!Files.exists(file)) {
                throw new ConfigException("--config " + file + ": no such file");
            }
            merged.putAll(read(file));
        }
        merged.putAll(sets);
        return new JobpilotConfig(merged, env);
    }

    /** The defaults with {@code values} on top (no environment, no files): for embedding hosts and tests. */
    public static JobpilotConfig of(Map<String, String> values) {
        Map<String, String> merged = new LinkedHashMap<>(defaults());
        merged.putAll(values);
        return new JobpilotConfig(merged, Map.of());
    }

    /** Where the defaults are on the classpath. */
    public static final String DEFAULTS = "jobpilot/application.properties";
    private static final Map<String, String> DEFAULT_VALUES = defaults();

    /** Every setting jobpilot knows with its default, as shipped in the library. */
    public static Map<String, String> defaults() {
        try (InputStream in = JobpilotConfig.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new ConfigException(DEFAULTS + " is missing from the classpath (a jobpilot-core jar built without its config)");
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return trimmed(p);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + DEFAULTS + ": " + e.getMessage());
        }
    }

    /**
     * The configuration as an embedding host's property sources give it: each known setting looked up by name
     * ({@code lookup}: Camel's properties component, which reads application.properties, -D, the environment and,
     * on Spring Boot, its Environment), then any other {@code jobpilot.*} names the host lists, over the defaults.
     */
    public static JobpilotConfig resolved(Map<String, String> hostDefaults, Function<String, String> lookup, Map<String, String> listed) {
        Map<String, String> merged = new LinkedHashMap<>(defaults());
        merged.putAll(hostDefaults);
        for (String key : List.copyOf(merged.keySet())) {
            String value = lookup.apply(key);
            if (value != null) {
                merged.put(key, value.trim());
            }
        }
        listed.forEach((k, v) -> {
            if (k.startsWith("jobpilot.")) {
                merged.putIfAbsent(k, v.trim());
            }
        });
        return new JobpilotConfig(merged, System.getenv());
    }

    /** JOBPILOT_IICS_LOGIN_URL for jobpilot.iics.login-url: the rule Camel applies to {{...}} placeholders. */
    public static String envName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        return trimmed(p);
    }

    private static Map<String, String> trimmed(Properties p) {
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }

    /** Every property name set in a file or with --set (environment-only values are read by name). */
    public java.util.Set<String> keys() {
        return java.util.Set.copyOf(values.keySet());
    }

    /** The value, or null; a setting left empty ({@code --set jobpilot.serve.lease=}) means its default. */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            v = env.get(envName(key));
        }
        if (v == null || v.isEmpty()) {
            v = DEFAULT_VALUES.get(key);
        }
        return v == null || v.isEmpty() ? null : v;
    }

    public String get(String key, String fallback) {
        String v = get(key);
        return v == null ? fallback : v;
    }

    public String require(String key) {
        String v = get(key);
        if (v == null) {
            throw new ConfigException("property " + key + " is not set (set it in config/application.properties, with --set "
                    + key + "=..., or in the environment as " + envName(key) + ")");
        }
        return v;
    }

    /** The setting as a duration (500ms, 2s, 1h30m, PT5M); every setting has its default in {@value #DEFAULTS}. */
    public Duration duration(String key) {
        String v = require(key);
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("property " + key + ": " + e.getMessage());
        }
    }

    public int integer(String key) {
        String v = require(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("property " + key + ": '" + v + "' is not a whole number");
        }
    }

    public double decimal(String key) {
        String v = require(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("property " + key + ": '" + v + "' is not a number");
        }
    }

    public boolean bool(String key) {
        String v = require(key);
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new ConfigException("property " + key + ": '" + v + "' is neither true nor false");
        }
        return Boolean.parseBoolean(v);
    }

    /** A copy with more values on top (used by the demo and tests to point at simulators). */
    public JobpilotConfig with(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.putAll(overrides);
        return new JobpilotConfig(m, env);
    }

    public Properties toProperties() {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }

    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
