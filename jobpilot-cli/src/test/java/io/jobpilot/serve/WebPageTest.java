package io.jobpilot.serve;

import io.jobpilot.support.ServeTestSupport;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The files of serve's web page over HTTP: served without the API token, holding no data, kept to the page's own. */
class WebPageTest extends ServeTestSupport {
    private static final String TOKEN = "page-s3cret-token";

    @Test
    void thePageIsServedWithoutTheTokenAndHoldsNoneOfIt() throws Exception {
        serve(Map.of("jobpilot.server.api-token", TOKEN));
        for (String path : new String[]{"/", "/?state=RUNNING", "/runs/some-run"}) {
            HttpResponse<String> page = call("GET", path, null, null);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(WebPage.CONTENT_SECURITY_POLICY);
            assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(page.body()).contains("<script type=\"module\" src=\"/assets/").doesNotContain(TOKEN);
        }
        assertThat(call("GET", "/", null, null).body()).contains("<title>jobpilot runs</title>");
        assertThat(call("GET", "/runs/some-run", null, null).body()).contains("<title>jobpilot run</title>");
        assertThat(call("GET", "/api/runs", null, null).statusCode()).isEqualTo(401);   // the data still needs it

        HttpResponse<String> script = call("GET", "/assets/runs.js", null, null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(call("GET", "/assets/jobpilot.css", null, null).headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
    }

    @Test
    void onlyThePagesOwnFilesAreServed() throws Exception {
        serve(Map.of());
        for (String path : new String[]{"/assets/nothing.js", "/assets/runs.html", "/assets/..%2Froutes%2Fserve%2Fjobpilot-api.camel.yaml",
                "/assets/%2E%2E%2Flog4j2.properties", "/assets/Runs.js"}) {
            HttpResponse<String> r = call("GET", path, null, null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("- route:", "appender");
        }
        assertThat(call("POST", "/", "{}", null).statusCode()).isEqualTo(405);
    }
}
