package io.jobpilot.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A workflow's parameters from a host's Map (a message body, an endpoint's options): the command line's names and
 * values, with scalars (numbers, booleans) taken as their text. A nested value has no command-line form and is refused
 * with its name.
 */
public final class RunParameters {
    private RunParameters() {
    }

    public static Map<String, String> fromMap(Map<?, ?> given) {
        Map<String, String> params = new LinkedHashMap<>();
        given.forEach((name, value) -> {
            if (!(name instanceof String key)) {
                throw new UsageException("a workflow parameter's name must be text, not " + describe(name));
            }
            if (value == null) {
                throw new UsageException("parameter " + key + " has no value");
            }
            if (!(value instanceof CharSequence || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>)) {
                throw new UsageException("parameter " + key + " must be text, a number or a boolean, not " + describe(value));
            }
            params.put(key, value.toString());
        });
        return params;
    }

    private static String describe(Object value) {
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        return value instanceof Iterable<?> || value.getClass().isArray() ? "a list" : "a " + value.getClass().getSimpleName();
    }
}
