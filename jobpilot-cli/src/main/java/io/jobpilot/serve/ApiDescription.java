package io.jobpilot.serve;

import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static io.jobpilot.http.JsonReplies.reply;

/**
 * GET /openapi.json: the OpenAPI document of serve's HTTP API, for generating a client. It is written by hand beside
 * the routes (jobpilot/serve/openapi.json); OpenApiDocumentTest holds its paths to the routes serve runs and its
 * answers to the ones serve gives. Served without the API token, like the web page: it describes, it holds no data.
 */
public final class ApiDescription {
    static final String RESOURCE = "jobpilot/serve/openapi.json";

    private final String document;

    public ApiDescription() {
        try (InputStream in = ApiDescription.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
        }
    }

    public void send(Exchange exchange) {
        reply(exchange, 200, document);
    }
}
