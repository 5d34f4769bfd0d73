package io.jobpilot.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.ServeTestSupport;
import io.jobpilot.support.TestHttp;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /openapi.json describes the API serve runs: the same paths and methods as its routes, and every answer serve
 * gives (status, and each field of a JSON answer) is one the document names.
 */
class OpenApiDocumentTest extends ServeTestSupport {
    private static final String TOKEN = "openapi-s3cret-token";

    private JsonNode document() throws Exception {
        HttpResponse<String> r = call("GET", "/openapi.json", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return json(r);
    }

    @Test
    void theDocumentIsValidOpenApiWithThePathsAndMethodsOfTheApisRoutes() throws Exception {
        serve(Map.of("jobpilot.server.api-token", TOKEN));       // served without the token: it holds no data
        JsonNode doc = document();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(doc.toString(), null, null);
        assertThat(parsed.getMessages()).as("what a client generator would complain of").isEmpty();

        Set<String> documented = new TreeSet<>();
        doc.path("paths").properties().forEach(p -> p.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        Set<String> routed = new TreeSet<>();
        for (Route route : runtime.context().getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint http
                    && (http.getPath().startsWith("/api/") || http.getPath().startsWith("/callbacks/"))) {
                // a route that takes a whole subtree (the artifacts) is documented with a {path} parameter for the rest
                String path = http.getPath() + (http.isMatchOnUriPrefix() ? "/{path}" : "");
                for (String method : http.getHttpMethodRestrict().split(",")) {
                    routed.add(method.trim() + " " + path);
                }
            }
        }
        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void everyAnswerIsOneTheDocumentDescribes() throws Exception {
        sandbox.oneIntegrate().existingSession("OpenApi/Slow", SessionScript.create().runningPolls(1_000_000));
        serve(Map.of("jobpilot.server.api-token", TOKEN));
        JsonNode doc = document();
        Answers answers = new Answers(doc);

        answers.check("GET", "/api/runs", "/api/runs", null, null, 401);
        answers.check("GET", "/api/runs", "/api/runs?limit=0", null, TOKEN, 400);
        answers.check("POST", "/api/runs", "/api/runs", "not json", TOKEN, 400);
        answers.check("POST", "/api/runs", form("/api/runs"), 415);
        String body = "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":\"OpenApi/Slow\"},\"runId\":\"doc-1\"}";
        answers.check("POST", "/api/runs", "/api/runs", body, TOKEN, 202);
        answers.check("POST", "/api/runs", "/api/runs", body, TOKEN, 200);
        answers.check("GET", "/api/runs", "/api/runs", null, TOKEN, 200);
        answers.check("GET", "/api/runs/{runId}", "/api/runs/doc-1", null, TOKEN, 200);
        answers.check("GET", "/api/runs/{runId}", "/api/runs/doc-1?x=1", null, TOKEN, 400);
        answers.check("GET", "/api/runs/{runId}", "/api/runs/nope", null, TOKEN, 404);

        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.journal().count("GET", "results/OpenApi/Slow/status") >= 2);
        answers.check("POST", "/api/runs/{runId}/stop", "/api/runs/doc-1/stop", null, TOKEN, 202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "STOPPED".equals(json(call("GET", "/api/runs/doc-1", null, TOKEN))
                .path("run").path("outcome").asText(null)));
        answers.check("POST", "/api/runs/{runId}/stop", "/api/runs/doc-1/stop", null, TOKEN, 409);
        answers.check("POST", "/api/runs/{runId}/stop", "/api/runs/nope/stop", null, TOKEN, 404);
        answers.check("GET", "/api/runs/{runId}", "/api/runs/doc-1", null, TOKEN, 200);     // ended: error and all

        answers.check("GET", "/api/runs/{runId}/artifacts/{path}", "/api/runs/doc-1/artifacts/run.json", null, TOKEN, 200);
        answers.check("GET", "/api/runs/{runId}/artifacts/{path}", "/api/runs/doc-1/artifacts/nothing.txt", null, TOKEN, 404);
        answers.check("POST", "/callbacks/iics/{token}", "/callbacks/iics/unknown-token", "{}", null, 404);
        assertThat(answers.fieldsSeen).contains("RunResult.error", "RunResult.origin", "RunView.events", "Started.href");
    }

    private HttpRequest form(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("a=b")).build();
    }

    /** Answers held to the document: the status is one of the operation's, and a JSON answer has only fields it names. */
    private final class Answers {
        private final JsonNode doc;
        final Set<String> fieldsSeen = new TreeSet<>();

        Answers(JsonNode doc) {
            this.doc = doc;
        }

        void check(String method, String template, String path, String body, String token, int expected) throws Exception {
            check(method, template, call(method, path, body, token), expected);
        }

        void check(String method, String template, HttpRequest request, int expected) throws Exception {
            check(method, template, TestHttp.send(client, request, HttpResponse.BodyHandlers.ofString()), expected);
        }

        private void check(String method, String template, HttpResponse<String> r, int expected) throws Exception {
            String path = r.uri().getRawPath() + (r.uri().getRawQuery() == null ? "" : "?" + r.uri().getRawQuery());
            assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
            JsonNode response = doc.path("paths").path(template).path(method.toLowerCase(Locale.ROOT)).path("responses")
                    .path(String.valueOf(expected));
            assertThat(response.isMissingNode()).as(method + " " + template + " documents " + expected).isFalse();
            JsonNode content = resolve(response).path("content").path("application/json");
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json") && content.has("schema")
                    && !"binary".equals(content.path("schema").path("format").asText())) {
                conforms(json(r), content.path("schema"), method + " " + path);
            }
        }

        /** Each field of {@code value} is a property of {@code schema} (followed into objects, arrays and references). */
        private void conforms(JsonNode value, JsonNode schema, String where) {
            String name = schema.has("$ref") ? schema.path("$ref").asText().replaceFirst(".*/", "") : null;
            JsonNode s = resolve(schema);
            if (value.isArray() && s.has("items")) {
                value.forEach(item -> conforms(item, s.path("items"), where + "[]"));
            } else if (value.isObject() && s.has("properties")) {
                for (Iterator<String> fields = value.fieldNames(); fields.hasNext(); ) {
                    String field = fields.next();
                    assertThat(s.path("properties").has(field)).as(where + "." + field + " is documented").isTrue();
                    fieldsSeen.add((name == null ? where : name) + "." + field);
                    conforms(value.get(field), s.path("properties").path(field), where + "." + field);
                }
                List<String> missing = new ArrayList<>();
                s.path("required").forEach(req -> {
                    if (!value.has(req.asText())) {
                        missing.add(req.asText());
                    }
                });
                assertThat(missing).as(where + " has the required fields").isEmpty();
            }
        }

        private JsonNode resolve(JsonNode node) {
            while (node.has("$ref")) {
                String[] parts = node.path("$ref").asText().substring(2).split("/");
                JsonNode target = doc;
                for (String part : parts) {
                    target = target.path(part);
                }
                node = target;
            }
            return node;
        }
    }
}
