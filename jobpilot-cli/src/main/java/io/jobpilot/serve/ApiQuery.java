package io.jobpilot.serve;

import io.jobpilot.run.UsageException;
import org.apache.camel.Exchange;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of an API request, read from the raw query string (headers of the same name, which a client
 * can also send, do not count): only the names the endpoint knows, each once and with a value, or a UsageException.
 */
final class ApiQuery {
    private ApiQuery() {
    }

    static Map<String, String> parse(Exchange exchange, String endpoint, Set<String> known) {
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        Map<String, String> values = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!known.contains(name)) {
                throw new UsageException(endpoint + ": unknown query parameter '" + name + "'"
                        + (known.isEmpty() ? " (it takes none)" : " (known: " + String.join(", ", new TreeSet<>(known)) + ")"));
            }
            if (value.isBlank()) {
                throw new UsageException(endpoint + ": query parameter '" + name + "' has no value");
            }
            if (values.put(name, value) != null) {
                throw new UsageException(endpoint + ": query parameter '" + name + "' is given more than once");
            }
        }
        return values;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new UsageException("the query string is not URL-encoded correctly");
        }
    }
}
