package io.jobpilot.serve;

import com.sun.net.httpserver.HttpServer;
import io.jobpilot.run.RunStates;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.Browser;
import io.jobpilot.support.ServeTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * serve's web page in a real browser (headless Chromium): what a person sees of runs started through the API, and
 * what the page's Stop button and artifact links do.
 */
class WebPageBrowserTest extends ServeTestSupport {
    private static final String TOKEN = "web-page-s3cret-token";

    @TempDir
    static Path downloads;
    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(downloads);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private WebDriver page() {
        return browser.driver();
    }

    private void open(String path) {
        page().get("http://127.0.0.1:" + port + path);
    }

    private void start(String runId, String workflow, String params, String token) throws Exception {
        HttpResponse<String> r = call("POST", "/api/runs",
                "{\"workflow\":\"" + workflow + "\",\"params\":" + params + ",\"runId\":\"" + runId + "\"}", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static By rowOf(String runId) {
        return By.cssSelector("#runs tr[data-run-id='" + runId + "']");
    }

    private static By stateOf(String runId) {
        return By.cssSelector("#runs tr[data-run-id='" + runId + "'] .state");
    }

    /** Waits until the list shows these runs, top to bottom. */
    private void waitForList(List<String> runIds) {
        browser.waiting().until(d -> d.findElements(By.cssSelector("#runs tbody a.run-link")).stream().map(WebElement::getText)
                .toList().equals(runIds));
    }

    /** A --notify receiver that takes every delivery (HTTP 200). */
    private static HttpServer notificationReceiver() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void aRunAppearsChangesStateAndOpensItsPageWhereItsFilesDownload() throws Exception {
        SessionScript script = SessionScript.create().runningPolls(1_000_000).task("t", 3);
        sandbox.oneIntegrate().existingSession("Web/Quick", script);
        HttpServer hook = notificationReceiver();
        serve(Map.of());
        open("/");
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#runs tbody"), "No runs yet."));

        HttpResponse<String> started = call("POST", "/api/runs", "{\"workflow\":\"oneintegrate-session\",\"params\":{\"path\":"
                + "\"Web/Quick\"},\"runId\":\"web-1\",\"notifyUrl\":\"http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\"}", null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        browser.waiting().until(ExpectedConditions.textToBe(stateOf("web-1"), "RUNNING"));
        script.runningPolls(0);              // the session finishes at its next poll: the list follows without a reload
        browser.waiting().until(ExpectedConditions.textToBe(stateOf("web-1"), "SUCCEEDED"));
        assertThat(browser.text(rowOf("web-1")))
                .contains("oneintegrate-session", "api", "Web/Quick", "tasks 1", "reports 3");

        browser.click(By.linkText("web-1"));
        browser.waiting().until(ExpectedConditions.urlContains("/runs/web-1"));
        browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("#run-state .state"), "SUCCEEDED"));
        assertThat(browser.text(By.id("run-id"))).isEqualTo("web-1");
        assertThat(page().getTitle()).contains("web-1");
        assertThat(browser.texts(By.cssSelector("#timeline .state")))
                .contains("RUNNING", "SUCCEEDED").last().isEqualTo("SUCCEEDED");
        assertThat(browser.text(By.id("params"))).contains("path Web/Quick");
        assertThat(browser.text(By.id("counts"))).contains("reports 3");
        browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("#notification .state"), "DELIVERED"));
        assertThat(browser.text(By.id("notification"))).contains("http://127.0.0.1:" + hook.getAddress().getPort()).matches("(?s).*Attempts\\s+1\\b.*");
        hook.stop(0);
        assertThat(page().findElement(By.id("stop")).isDisplayed()).isFalse();
        assertThat(page().findElement(By.id("error-section")).isDisplayed()).isFalse();
        browser.screenshot("run-page");

        browser.click(By.linkText("tasks/t/reports.ndjson"));
        Path saved = downloads.resolve("reports.ndjson");
        byte[] written = Files.readAllBytes(runDir("web-1").resolve("tasks/t/reports.ndjson"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(saved) && Files.size(saved) == written.length);
        assertThat(Files.readAllBytes(saved)).isEqualTo(written);
    }

    @Test
    void stopOnARunningRunsPageStopsItThroughTheApiWithItsToken() throws Exception {
        sandbox.oneIntegrate().existingSession("Web/Slow", SessionScript.create().runningPolls(1_000_000));
        serve(Map.of("jobpilot.server.api-token", TOKEN));
        start("web-2", "oneintegrate-session", "{\"path\":\"Web/Slow\"}", TOKEN);
        open("/runs/web-2");

        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "needs its API token"));
        page().findElement(By.id("token-input")).sendKeys(TOKEN);
        page().findElement(By.id("token-use")).click();
        browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("#run-state .state"), "RUNNING"));
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("message")));
        assertThat(page().getPageSource()).doesNotContain(TOKEN);
        assertThat(page().getCurrentUrl()).doesNotContain(TOKEN);
        browser.waiting().until(d -> sandbox.journal().count("GET", "results/Web/Slow/status") >= 2);

        WebElement stop = page().findElement(By.id("stop"));
        assertThat(stop.isDisplayed()).isTrue();
        stop.click();
        browser.waiting().until(ExpectedConditions.alertIsPresent()).accept();
        browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("#run-state .state"), "STOPPED"));
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("stop")));
        assertThat(sandbox.journal().count(e -> e.is("POST", "sessions/Web/Slow") && "action=pause".equals(e.query()))).isEqualTo(1);
        assertThat(json(call("GET", "/api/runs/web-2", null, TOKEN)).path("run").path("outcome").asText()).isEqualTo("STOPPED");
        assertThat(browser.texts(By.cssSelector("#timeline .state")))
                .last().isEqualTo("STOPPED");
        browser.screenshot("run-page-stopped");

        // with a token the link cannot carry it: the page fetches the file with it and saves that
        browser.click(By.linkText("run.json"));
        Path saved = downloads.resolve("run.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(saved)
                && Files.readString(saved).equals(Files.readString(runDir("web-2").resolve("run.json"))));
    }

    @Test
    void theFiltersNarrowTheListAndLiveInItsAddress() throws Exception {
        sandbox.oneIntegrate().existingSession("Web/Ok", SessionScript.create().runningPolls(1).task("t", 2));
        sandbox.oneIntegrate().existingSession("Web/Bad", SessionScript.create().runningPolls(1)
                .endsWith("Error", "Rule base 'roads' could not be loaded"));
        sandbox.oneIntegrate().existingSession("Web/Long", SessionScript.create().runningPolls(1_000_000));
        serve(Map.of());
        start("web-ok", "oneintegrate-session", "{\"path\":\"Web/Ok\"}", null);
        start("web-bad", "oneintegrate-session", "{\"path\":\"Web/Bad\"}", null);
        start("web-batch", "exago-batch", "{\"batch\":[{\"Url\":\"Sessions\",\"Method\":\"POST\"}]}", null);
        start("web-long", "oneintegrate-session", "{\"path\":\"Web/Long\"}", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> outcomeOf("web-ok") != null && outcomeOf("web-bad") != null
                && outcomeOf("web-batch") != null);

        open("/");
        waitForList(List.of("web-long", "web-batch", "web-bad", "web-ok"));
        browser.waiting().until(ExpectedConditions.textToBe(stateOf("web-long"), "RUNNING"));
        assertThat(browser.text(stateOf("web-bad"))).isEqualTo("FAILED");
        assertThat(browser.text(stateOf("web-ok"))).isEqualTo("SUCCEEDED");
        browser.screenshot("runs-list");

        Select state = new Select(page().findElement(By.id("filter-state")));
        assertThat(state.getOptions().stream().map(WebElement::getText).skip(1).toList()).isEqualTo(RunStates.all());
        state.selectByVisibleText("FAILED");
        waitForList(List.of("web-bad"));
        assertThat(page().getCurrentUrl()).endsWith("/?state=FAILED");
        state.selectByVisibleText("any");

        WebElement workflow = page().findElement(By.id("filter-workflow"));
        workflow.sendKeys("exago-batch", Keys.ENTER);
        waitForList(List.of("web-batch"));
        workflow.clear();
        workflow.sendKeys(Keys.ENTER);
        waitForList(List.of("web-long", "web-batch", "web-bad", "web-ok"));

        WebElement text = page().findElement(By.id("filter-text"));
        text.sendKeys("roads");           // the failed run's error message
        waitForList(List.of("web-bad"));
        text.clear();
        text.sendKeys("web-o");
        waitForList(List.of("web-ok"));
        assertThat(page().getCurrentUrl()).endsWith("/?q=web-o");

        // the address keeps the filters: opened again, the list is filtered the same way
        open("/?state=RUNNING");
        waitForList(List.of("web-long"));
        assertThat(state(page()).getFirstSelectedOption().getText()).isEqualTo("RUNNING");

        open("/?workflow=nope");
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "unknown workflow 'nope'"));

        open("/");
        browser.click(By.linkText("web-bad"));
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("error-section")));
        assertThat(browser.text(By.id("error"))).contains("Kind", "REMOTE_JOB", "Rule base 'roads' could not be loaded");
    }

    private static Select state(WebDriver page) {
        return new Select(page.findElement(By.id("filter-state")));
    }
}
