package io.jobpilot.sandbox.oneintegrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.support.JobpilotTestSupport;
import io.jobpilot.support.TestHttp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browsing, as the public 1Integrate client (@vertigis/workflow-activities-1integrate, GetSessions, GetRules) does it:
 * GET a resource root or a folder and read {"contents": [{"type", "name"}]}, a Recycle Bin in each root.
 */
class OneIntegrateBrowseTest extends JobpilotTestSupport {
    private final HttpClient http = TestHttp.client();

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return TestHttp.send(http, HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + sandbox.oneIntegrate().root() + "/" + path))
                .header("Authorization", "Bearer " + OneIntegrateSimulator.API_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode contents(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).path("contents");
    }

    @Test
    void rootsAndFoldersListWhatIsUnderThem() throws Exception {
        assertThat(call("PUT", "sessions/Browse/Roads/Check", "{\"name\":\"c\"}").statusCode()).isEqualTo(201);
        assertThat(call("PUT", "sessions/Browse/Top", "{\"name\":\"t\"}").statusCode()).isEqualTo(201);

        assertThat(contents("sessions").toString()).contains("{\"type\":\"folder\",\"name\":\"Recycle Bin\"}",
                "{\"type\":\"folder\",\"name\":\"Browse\"}");
        assertThat(contents("sessions/Browse").toString())
                .isEqualTo("[{\"type\":\"folder\",\"name\":\"Roads\"},{\"type\":\"session\",\"name\":\"Top\"}]");
        assertThat(contents("sessions/Browse/Roads").toString()).isEqualTo("[{\"type\":\"session\",\"name\":\"Check\"}]");
        assertThat(contents("rules").toString()).isEqualTo("[{\"type\":\"folder\",\"name\":\"Recycle Bin\"}]");
        assertThat(call("GET", "sessions/Browse/Roads/Check", null).body()).contains("\"name\":\"c\"");
        assertThat(call("GET", "sessions/Nowhere", null).statusCode()).isEqualTo(404);
    }
}
