package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Sandbox;
import io.jobpilot.support.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The parts of the IICS simulator the workflows do not use themselves: v2 login, callbacks, idle expiry, error shapes. */
class IicsSimulatorTest {
    private static Sandbox sandbox;
    private final HttpClient http = TestHttp.client();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(0);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private HttpResponse<String> post(String url, String header, String value, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (header != null) {
            b.header(header, value);
        }
        return TestHttp.send(http, b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode v2Login() throws Exception {
        HttpResponse<String> r = post(sandbox.baseUrl() + "/iics/ma/api/v2/user/login", null, null,
                "{\"@type\":\"login\",\"username\":\"" + IicsSimulator.USER + "\",\"password\":\"" + IicsSimulator.PASSWORD + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void v2LoginGivesIcSessionIdAndServerUrl() throws Exception {
        JsonNode user = v2Login();
        assertThat(user.path("icSessionId").asText()).isNotBlank();
        assertThat(user.path("serverUrl").asText()).endsWith("/iics/pod/saas");

        HttpResponse<String> bad = post(sandbox.baseUrl() + "/iics/ma/api/v2/user/login", null, null,
                "{\"@type\":\"login\",\"username\":\"x\",\"password\":\"y\"}");
        assertThat(bad.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(bad.body()).path("code").asText()).isEqualTo("UI_10000");
    }

    @Test
    void aJobWithACallbackUrlIsCalledBackAsOftenAsScripted() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/cb", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        try {
            sandbox.iics().task(TaskScript.create("CBTASK01").phases(1, 2, 0).callbackTimes(2));
            JsonNode user = v2Login();
            HttpResponse<String> started = post(user.path("serverUrl").asText() + "/api/v2/job", "icSessionId",
                    user.path("icSessionId").asText(), "{\"@type\":\"job\",\"taskId\":\"CBTASK01\",\"taskType\":\"MTT\",\"callbackURL\":\"http://127.0.0.1:"
                            + receiver.getAddress().getPort() + "/cb\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
            JsonNode callback = Json.MAPPER.readTree(received.get(0));
            assertThat(callback.path("@type").asText()).isEqualTo("callbackUrlResponse");
            assertThat(callback.path("objectId").asText()).isEqualTo("CBTASK01");
            assertThat(callback.path("status").asText()).isEqualTo("COMPLETED");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void idleSessionsExpireAndV3ErrorsHaveTheV3Shape() throws Exception {
        sandbox.iics().sessionIdleTimeout(Duration.ZERO);
        try {
            JsonNode user = v2Login();
            HttpResponse<String> r = TestHttp.send(http, HttpRequest.newBuilder(URI.create(user.path("serverUrl").asText()
                    + "/public/core/v3/export/none")).header("INFA-SESSION-ID", user.path("icSessionId").asText()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(Json.MAPPER.readTree(r.body()).path("error").path("code").asText()).isEqualTo("AUTH_01");
        } finally {
            sandbox.iics().sessionIdleTimeout(Duration.ofMinutes(30));
        }
    }

    @Test
    void aSecondStopOfAnIdleTaskIsAnsweredWithSuccessAsRealIicsDoes() throws Exception {
        sandbox.iics().task(TaskScript.create("IDLETASK").phases(0, 1, 0));
        JsonNode user = v2Login();
        String stop = user.path("serverUrl").asText() + "/api/v2/job/stop";
        String body = "{\"@type\":\"job\",\"taskId\":\"IDLETASK\",\"taskType\":\"MTT\"}";

        HttpResponse<String> first = post(stop, "icSessionId", user.path("icSessionId").asText(), body);
        HttpResponse<String> second = post(stop, "icSessionId", user.path("icSessionId").asText(), body);

        for (HttpResponse<String> r : List.of(first, second)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(r.body()).path("@type").asText()).isEqualTo("success");
        }
    }

    @Test
    void loginOAuthTakesAJwtForOneLoginOnly() throws Exception {
        String login = sandbox.baseUrl() + "/iics/ma/api/v2/user/loginOAuth";
        String jwt = IicsSimulator.newJwt();
        String body = "{\"orgId\":\"" + IicsSimulator.ORG_ID + "\",\"oauthToken\":\"" + jwt + "\"}";

        HttpResponse<String> first = post(login, null, null, body);
        HttpResponse<String> replayed = post(login, null, null, body);
        HttpResponse<String> otherOrg = post(login, null, null, "{\"orgId\":\"999999\",\"oauthToken\":\"" + IicsSimulator.newJwt() + "\"}");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode user = Json.MAPPER.readTree(first.body());
        assertThat(user.path("icSessionId").asText()).isNotBlank();
        assertThat(user.path("serverUrl").asText()).endsWith("/iics/pod/saas");
        assertThat(replayed.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(replayed.body()).path("description").asText()).contains("already used");
        assertThat(otherOrg.statusCode()).isEqualTo(403);
    }

    @Test
    void sessionLogsAreTextForATaskAndAZipForAChildOfALinearTaskflow() throws Exception {
        sandbox.iics().task(TaskScript.create("LOGTASK1").phases(0, 0, 0).endsWith(3, "TE_7002 Transformation Parse Fatal Error"));
        JsonNode user = v2Login();
        String server = user.path("serverUrl").asText();
        String session = user.path("icSessionId").asText();
        post(server + "/api/v2/job", "icSessionId", session, "{\"@type\":\"job\",\"taskId\":\"LOGTASK1\",\"taskType\":\"MTT\"}");
        JsonNode entry = Json.MAPPER.readTree(get(server + "/api/v2/activity/activityLog?runId=1&taskId=LOGTASK1", session).body()).path(0);
        String id = entry.path("id").asText();

        HttpResponse<byte[]> text = getBytes(server + "/api/v2/activity/activityLog/" + id + "/sessionLog", session);
        HttpResponse<byte[]> zip = getBytes(server + "/api/v2/activity/activityLog/" + id + "/sessionLog?itemId="
                + entry.path("entries").path(0).path("id").asText(), session);
        HttpResponse<byte[]> missing = getBytes(server + "/api/v2/activity/activityLog/NOSUCHENTRY/sessionLog", session);
        HttpResponse<String> byId = get(server + "/api/v2/activity/activityLog/" + id, session);

        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(new String(text.body())).contains("TE_7002");
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.body()).startsWith(0x50, 0x4b, 0x03, 0x04);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text.headers().firstValue("Content-Disposition").orElse("")).contains("filename=");
        assertThat(zip.headers().firstValue("Content-Type").orElse("")).as("infapy picks .zip by it").isEqualTo("application/zip;charset=UTF-8");
        assertThat(Json.MAPPER.readTree(byId.body()).path("id").asText()).isEqualTo(id);
    }

    @Test
    void anExportProgressesWhenPolledOnlyWithExpandObjects() throws Exception {
        JsonNode user = v2Login();
        String v3 = user.path("serverUrl").asText() + "/public/core/v3/export";
        String session = user.path("icSessionId").asText();
        JsonNode started = Json.MAPPER.readTree(post(v3, "INFA-SESSION-ID", session,
                "{\"name\":\"expand-only\",\"objects\":[{\"id\":\"l7bgB85m5oGiXObDxwnvK9\"}]}").body());

        String state = null;
        for (int i = 0; i < 5 && !"SUCCESSFUL".equals(state); i++) {
            HttpResponse<String> r = TestHttp.send(http, HttpRequest.newBuilder(URI.create(v3 + "/" + started.path("id").asText() + "?expand=objects"))
                    .header("INFA-SESSION-ID", session).build(), HttpResponse.BodyHandlers.ofString());
            state = Json.MAPPER.readTree(r.body()).path("status").path("state").asText();
        }

        assertThat(state).isEqualTo("SUCCESSFUL");
    }

    private HttpResponse<String> get(String url, String session) throws Exception {
        return TestHttp.send(http, HttpRequest.newBuilder(URI.create(url)).header("icSessionId", session).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String url, String session) throws Exception {
        return TestHttp.send(http, HttpRequest.newBuilder(URI.create(url)).header("icSessionId", session).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
