package io.imagebuilder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagebuilder.console.account.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console's pages in a real browser (Debian's headless Chromium, driven by Selenium through
 * Debian's chromedriver): a user logs in, starts a bookworm amd64 build with {@code hello} from the
 * form (a real build against the Debian archive), watches its live log reach the end, downloads the
 * tarball from the build page and finds its sha256 there, then drops the downloaded file on the
 * lookup page and reads the spec that built it.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String PASSWORD = "bea's long browser password";

  @TempDir static Path data;
  @TempDir static Path downloads;

  private static WebDriver browser;

  @LocalServerPort int port;

  /** A cache of its own whose packages directory is the run's shared package cache. */
  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry r) throws java.io.IOException {
    Path cache = ItCaches.in(data);
    r.add("console.cache-dir", cache::toString);
    r.add("console.data-dir", () -> data.resolve("console").toString());
  }

  @BeforeAll
  static void startTheBrowser() {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no " + CHROMIUM + " or " + CHROMEDRIVER + " (Debian's chromium and chromium-driver)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: Chromium's own sandbox cannot start as root, which the build needs here
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage");
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private String url(String path) {
    return "http://localhost:" + port + path;
  }

  @Test
  void startsABuildWatchesItsLogDownloadsTheTarballAndFindsItsSpecByDroppingTheFile(
      ApplicationContext context) throws Exception {
    TestAccounts.token(context, "bea", Role.BUILD, PASSWORD);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

    browser.get(url("/"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
    browser.findElement(By.name("username")).sendKeys("bea");
    browser.findElement(By.name("password")).sendKeys(PASSWORD);
    browser.findElement(By.cssSelector("#login button")).click();

    WebElement start = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("start")));
    assertEquals("bea", browser.findElement(By.id("user")).getText(), "the header names who is in");
    type(start.findElement(By.name("series")), "bookworm");
    new Select(start.findElement(By.name("arch"))).selectByValue("amd64");
    type(start.findElement(By.name("packages")), "hello");
    start.findElement(By.cssSelector("button[type=submit]")).click();

    wait.until(
        d ->
            d.getCurrentUrl().matches(".*/builds/[^/]+$")
                || !d.findElements(By.id("error")).isEmpty());
    assertTrue(
        browser.findElements(By.id("error")).isEmpty(),
        () -> "the form was refused: " + browser.findElement(By.id("error")).getText());
    String buildPage = browser.getCurrentUrl();
    // The page follows the live log to its end, then reloads once with the final state.
    new WebDriverWait(browser, Duration.ofMinutes(15))
        .until(
            d ->
                List.of("SUCCEEDED", "FAILED", "CANCELLED")
                        .contains(d.findElement(By.id("status")).getText())
                    && d.findElement(By.id("log")).getAttribute("data-end") != null);
    String log = browser.findElement(By.id("log")).getText();
    assertEquals(
        "SUCCEEDED",
        browser.findElement(By.id("status")).getText(),
        "the build page's status; its log ends:\n" + tail(log));
    assertEquals("SUCCEEDED", browser.findElement(By.id("log")).getAttribute("data-end"));
    assertTrue(log.contains("rootfs.packages"), "the live log shows the stages:\n" + tail(log));

    WebElement link = browser.findElement(By.cssSelector("#artifacts a.artifact"));
    String name = link.getText();
    String shownSha256 = browser.findElement(By.cssSelector("#artifacts code.sha256")).getText();
    link.click();
    Path file = downloaded(name);
    assertEquals(shownSha256, Sha256.of(file), "the downloaded " + name + " has the sha256 shown");

    browser.get(url("/lookup"));
    dropOnThePage(file);
    WebElement spec =
        new WebDriverWait(browser, Duration.ofMinutes(2))
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("spec")));
    assertTrue(
        browser.findElement(By.id("result")).getText().contains(shownSha256),
        "the lookup names the dropped file's sha256");
    assertTrue(spec.getText().contains("\"hello\""), "the spec that built it:\n" + spec.getText());
    assertTrue(spec.getText().contains("\"bookworm\""), spec.getText());
    browser.findElement(By.cssSelector("#result a")).click();
    wait.until(ExpectedConditions.urlToBe(buildPage));
  }

  /** Replaces what a form field holds with {@code text}, as a user selecting it all would. */
  private static void type(WebElement field, String text) {
    field.clear();
    field.sendKeys(text);
  }

  /**
   * Drops {@code file} on the lookup page as a user's drag from the desktop would: the browser gets
   * the file through a file input (WebDriver's only way in), and the page receives a drop event
   * holding it.
   */
  private static void dropOnThePage(Path file) {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    WebElement carrier =
        (WebElement)
            js.executeScript(
                "const i = document.createElement('input'); i.type = 'file';"
                    + " i.style.opacity = '0'; document.body.appendChild(i); return i;");
    carrier.sendKeys(file.toString());
    js.executeScript(
        "const dt = new DataTransfer(); dt.items.add(arguments[0].files[0]);"
            + " arguments[0].remove();"
            + " document.getElementById('drop').dispatchEvent("
            + "new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));",
        carrier);
  }

  /** The file the browser downloaded as {@code name}, once it is complete. */
  private static Path downloaded(String name) throws Exception {
    Path file = downloads.resolve(name);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      boolean partial;
      try (Stream<Path> files = Files.list(downloads)) {
        partial = files.anyMatch(f -> f.getFileName().toString().endsWith(".crdownload"));
      }
      if (Files.isRegularFile(file) && !partial) {
        return file;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the browser did not download " + name + " into " + downloads);
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
