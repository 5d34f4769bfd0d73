package io.jobpilot.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A workflow as its users see it, read from {@code jobpilot/routes/<workflow>.workflow.yaml} beside its route: name,
 * title, what it does, and each parameter with its type, whether it is required, its allowed values and default.
 * The one place these are written: validation (command line, API, {@code jobpilot:} endpoint), {@code jobpilot run
 * WORKFLOW --help}, the endpoint's options and the parameter tables of docs/workflows.md (checked by a test) all come from it.
 * Rules that relate parameters to each other beyond "exactly one of a group" stay in the workflow's spec class.
 */
public record WorkflowDefinition(String name, String title, String description, boolean canStop, List<Parameter> parameters) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final String FOLDER = "jobpilot/routes/";
    private static final Map<String, WorkflowDefinition> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    public enum Type {
        @JsonProperty("text") TEXT,
        @JsonProperty("boolean") BOOLEAN,
        @JsonProperty("integer") INTEGER,
        @JsonProperty("enum") ENUM,
        /** A JSON document in a file (the API takes it inline instead). */
        @JsonProperty("document") DOCUMENT,
        /** JSON inline or a file holding it (the workflow reads it). */
        @JsonProperty("json") JSON
    }

    /**
     * @param placeholder how the value is written in messages ({@code -p path=FOLDER/SESSION})
     * @param oneOf       a group of parameters of which exactly one must be given
     */
    public record Parameter(String name, String description, Type type, boolean required, List<String> values, boolean ignoreCase,
                            @JsonProperty("default") String defaultValue, Integer min, Integer max, String placeholder, String oneOf) {
        public Parameter {
            type = type == null ? (values != null ? Type.ENUM : Type.TEXT) : type;
            values = type == Type.BOOLEAN ? List.of("true", "false") : values == null ? List.of() : List.copyOf(values);
        }

        /** {@code -p name=PLACEHOLDER}, as messages and help write it. */
        String usage() {
            return "-p " + name + (placeholder == null ? "" : "=" + placeholder);
        }
    }

    public WorkflowDefinition {
        parameters = List.copyOf(parameters);
    }

    /** The value a run of {@code workflow} uses when {@code parameter} is not given (null: none, or no such workflow). */
    static String defaultOf(String workflow, String parameter) {
        WorkflowDefinition definition = LOADED.computeIfAbsent(workflow, w -> {
            try {
                return load(w);
            } catch (IllegalStateException e) {
                return new WorkflowDefinition(w, w, "", false, List.of());
            }
        });
        return definition.defaultOf(parameter);
    }

    /** The definition of {@code workflow}, from the classpath. */
    public static WorkflowDefinition load(String workflow) {
        String resource = FOLDER + workflow + ".workflow.yaml";
        try (InputStream in = WorkflowDefinition.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            WorkflowDefinition definition = YAML.readValue(in, WorkflowDefinition.class);
            if (!definition.name().equals(workflow)) {
                throw new IllegalStateException(resource + " defines " + definition.name() + ", not " + workflow);
            }
            return definition;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    public Set<String> parameterNames() {
        return parameters.stream().map(Parameter::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public Set<String> documentParameters() {
        return parameters.stream().filter(p -> p.type() == Type.DOCUMENT || p.type() == Type.JSON).map(Parameter::name)
                .collect(Collectors.toSet());
    }

    /** The value a run uses when the parameter is not given (null: none). */
    public String defaultOf(String parameter) {
        return parameters.stream().filter(p -> p.name().equals(parameter)).findFirst().map(Parameter::defaultValue).orElse(null);
    }

    /** Checks each parameter on its own (required, type, allowed values, range) and each exactly-one-of group. */
    public void validate(Map<String, String> params) {
        for (Parameter p : parameters) {
            String value = given(params, p.name());
            if (value == null) {
                if (p.required()) {
                    throw new UsageException(name + ": " + p.usage() + " is required" + (p.values().isEmpty() ? "" : " (one of "
                            + String.join(", ", p.values()) + ")"));
                }
            } else if (p.type() != Type.DOCUMENT) {
                check(p, value);
            }
        }
        Map<String, List<Parameter>> groups = new LinkedHashMap<>();
        parameters.stream().filter(p -> p.oneOf() != null).forEach(p -> groups.computeIfAbsent(p.oneOf(), g -> new ArrayList<>()).add(p));
        groups.values().forEach(group -> {
            if (group.stream().filter(p -> given(params, p.name()) != null).count() != 1) {
                List<String> usages = group.stream().map(Parameter::usage).toList();
                throw new UsageException(name + ": give exactly one of " + String.join(", ", usages.subList(0, usages.size() - 1))
                        + " or " + usages.get(usages.size() - 1));
            }
        });
        // documents last: reading a file is the costliest check, and a wrong combination is the clearer message
        parameters.stream().filter(p -> p.type() == Type.DOCUMENT && given(params, p.name()) != null).forEach(p -> check(p, given(params, p.name())));
    }

    private void check(Parameter p, String value) {
        switch (p.type()) {
            case BOOLEAN, ENUM -> {
                String v = p.ignoreCase() ? value.toUpperCase(Locale.ROOT) : value;
                if (!p.values().contains(v)) {
                    throw new UsageException(name + ": -p " + p.name() + " must be one of " + String.join(", ", p.values()) + ", not '" + value + "'");
                }
            }
            case INTEGER -> {
                int n;
                try {
                    n = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new UsageException(name + ": -p " + p.name() + " must be a whole number, not '" + value + "'");
                }
                if (p.min() != null && n < p.min() || p.max() != null && n > p.max()) {
                    throw new UsageException(name + ": -p " + p.name() + " must be between " + p.min() + " and " + p.max() + ", not " + n);
                }
            }
            case DOCUMENT -> JsonDocuments.read(name + ": -p " + p.name() + "=" + value, Path.of(value));
            case TEXT, JSON -> {
            }
        }
    }

    private static String given(Map<String, String> params, String name) {
        String v = params.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** docs/workflows.md's table of the parameters (and {@code --help}'s): name and meaning, "— required" where it is. */
    public String markdownTable() {
        StringBuilder out = new StringBuilder("| name | meaning |\n|---|---|\n");
        parameters.forEach(p -> out.append("| `").append(p.name()).append("` | ").append(p.description().strip())
                .append(p.required() ? " — required" : "").append(" |\n"));
        return out.toString();
    }
}
