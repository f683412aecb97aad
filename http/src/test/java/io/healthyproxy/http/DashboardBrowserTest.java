package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.testkit.load.OpenLoopLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium through chromedriver, both installed by .ci/run):
 * log in with the admin token, watch a backend die and come back, and see its circuit open and close on the page.
 * Saves a screenshot to {@code target/dashboard.png}; with {@code -Ddashboard.screenshot=<path>} also there (how
 * {@code docs/dashboard.png} is refreshed: {@code mvn -B -pl http -am test -Dtest=DashboardBrowserTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddashboard.screenshot=$PWD/docs/dashboard.png}). Every wait is for a
 * condition on the page, with a deadline.
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TOKEN = "dashboard-test-token-0123456789";
    /** The page reads the API every second: a few readings are well within this. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path profile;

    @Test
    @Timeout(90)
    void showsABackendsCircuitOpenWhileItIsDownAndClosedOnceItIsBack() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("this test needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver "
                        + "(.ci/run installs them)").isTrue();
        try (ProxyHarness h = ProxyHarness.start(3, b -> b.adminToken(TOKEN));
                OpenLoopLoad load = OpenLoopLoad.start(h.proxy.address(), "/", 60, Duration.ofSeconds(5), 500, r -> { })) {
            ChromeDriver browser = chromium();
            try {
                browser.get("http://127.0.0.1:" + h.proxy.adminAddress().getPort() + "/");
                browser.findElement(By.id("token")).sendKeys(TOKEN);
                browser.findElement(By.cssSelector("form button[type=submit]")).click();
                until(browser, "every backend is shown with its circuit closed", () ->
                        "closed".equals(cell(browser, "b1", "circuit")) && "closed".equals(cell(browser, "b3", "circuit"))
                                && updates(browser) >= 2);

                h.backend(1).crash();
                until(browser, "b1's circuit shows open and its checks failing", () ->
                        "open".equals(cell(browser, "b1", "circuit")) && "unhealthy".equals(cell(browser, "b1", "health")));
                assertThat(text(browser, "tr[data-backend='b1'] td.circuit .badge")).isEqualTo("open");
                assertThat(cell(browser, "b2", "circuit")).isEqualTo("closed");
                until(browser, "b1's reason is shown under its traffic: why its circuit opened", () -> {
                    String reason = text(browser, "tr[data-backend='b1'] td.traffic .reason");
                    return reason != null && reason.startsWith("circuit opened ") && reason.contains("next trial in");
                });

                h.backend(1).restart();
                until(browser, "b1's circuit shows closed again and its checks passing", () ->
                        "closed".equals(cell(browser, "b1", "circuit")) && "healthy".equals(cell(browser, "b1", "health")));
                assertThat(text(browser, "tr[data-backend='b1'] td.circuit .badge")).isEqualTo("closed");
                until(browser, "the latest events include b1's circuit opening and closing", () ->
                        count(browser, "#events li[data-backend='b1'][data-kind='circuit'][data-to='open']") > 0
                                && count(browser, "#events li[data-backend='b1'][data-kind='circuit'][data-to='closed']") > 0);
                assertThat(count(browser, "#timeline g[data-lane='b1'] rect[data-state='open']")).isPositive();
                assertThat(count(browser, "svg.traffic path[data-backend='b1']")).isEqualTo(1);
                int seen = updates(browser);
                until(browser, "a few more readings show traffic back on b1", () -> updates(browser) >= seen + 3);

                screenshot(browser);
            } finally {
                browser.quit();
            }
        }
    }

    private ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The machine has no network: background networking would make Chromium wait on refused connections.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The {@code data-state} of a backend's cell ({@code circuit}, {@code health}, ...), or null if not shown yet. */
    private static String cell(ChromeDriver browser, String backend, String column) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const c = document.querySelector(`tr[data-backend='${arguments[0]}'] td.${arguments[1]}`);"
                        + " return c ? c.dataset.state : null;", backend, column);
    }

    private static String text(ChromeDriver browser, String selector) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector);
    }

    private static int count(ChromeDriver browser, String selector) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelectorAll(arguments[0]).length;", selector)).intValue();
    }

    /** How many readings the page has shown. */
    private static int updates(ChromeDriver browser) {
        Object n = ((JavascriptExecutor) browser).executeScript("return document.body.dataset.updates || '0';");
        return Integer.parseInt(Objects.toString(n));
    }

    private static void until(ChromeDriver browser, String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, PATIENCE, Duration.ofMillis(50)).withMessage(what)
                .until(d -> condition.getAsBoolean());
    }

    /** The whole page: the window is made as tall as the page first. */
    private static void screenshot(ChromeDriver browser) throws Exception {
        // The window's height includes what is not page (however thin in headless mode): grow it by what is missing.
        long missing = ((Number) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollHeight - window.innerHeight;")).longValue();
        Dimension size = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(size.width, (int) Math.min(4000, size.height + Math.max(0, missing))));
        int before = updates(browser);
        until(browser, "the page has redrawn at its new size", () -> updates(browser) > before);
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "dashboard.png"), png);
        String copy = System.getProperty("dashboard.screenshot");
        if (copy != null && !copy.isBlank()) {
            Files.write(Path.of(copy), png);
        }
        assertThat(png).hasSizeGreaterThan(10_000);
    }
}
