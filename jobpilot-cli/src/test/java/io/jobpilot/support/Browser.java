package io.jobpilot.support;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium for the tests of serve's web page: Debian's chromium and chromedriver (or JOBPILOT_TEST_CHROMIUM and
 * JOBPILOT_TEST_CHROMEDRIVER), never a browser Selenium would download. Without them a developer's run skips the
 * browser tests; with JOBPILOT_TEST_BROWSER=required (set by .ci/run, which installs them) they fail instead, so CI
 * never passes without having run them.
 */
public final class Browser implements AutoCloseable {
    public static final String REQUIRED_VARIABLE = "JOBPILOT_TEST_BROWSER";
    /** Where the screenshots of the page go, for a person (and the closing note) to look at. */
    public static final Path SCREENSHOTS = Path.of("jobpilot-cli/target/screenshots");

    private final ChromeDriver driver;
    private final Path downloads;

    private Browser(ChromeDriver driver, Path downloads) {
        this.driver = driver;
        this.downloads = downloads;
    }

    /** A fresh headless browser saving downloads to {@code downloads}; skips or fails (see the class) when none starts. */
    public static Browser start(Path downloads) {
        Path chromium = Path.of(env("JOBPILOT_TEST_CHROMIUM", "/usr/bin/chromium"));
        Path chromedriver = Path.of(env("JOBPILOT_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            unavailable(chromium + " or " + chromedriver + " is missing (apt-get install chromium chromium-driver)", null);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1360,1000", "--lang=en-GB");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false, "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        try {
            return new Browser(new ChromeDriver(service, options), downloads);
        } catch (RuntimeException e) {
            unavailable("headless Chromium did not start: " + e.getMessage().lines().findFirst().orElse(""), e);
            throw e;
        }
    }

    private static void unavailable(String why, Throwable cause) {
        if ("required".equals(System.getenv(REQUIRED_VARIABLE))) {
            throw new AssertionError(why + " (" + REQUIRED_VARIABLE + "=required)", cause);
        }
        Assumptions.abort(why + "; set " + REQUIRED_VARIABLE + "=required to make this a failure");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Waits on a condition the page shows, polled, up to a generous bound (the page refreshes every 2 s). An element
     * the page redrew while it was read is read again.
     */
    public WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Clicks the element {@code by} finds (found again when the page redrew it before the click landed). */
    public void click(By by) {
        waiting().until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    /** The text of the element {@code by} finds, read once it is there. */
    public String text(By by) {
        return waiting().until(d -> d.findElement(by).getText());
    }

    /** The texts of the elements {@code by} finds, in page order, read from one drawing of the page. */
    public List<String> texts(By by) {
        return waiting().until(d -> d.findElements(by).stream().map(WebElement::getText).toList());
    }

    public Path downloads() {
        return downloads;
    }

    /** Saves what the browser shows as {@link #SCREENSHOTS}/{@code name}.png. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
