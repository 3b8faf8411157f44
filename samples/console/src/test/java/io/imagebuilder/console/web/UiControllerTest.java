package io.imagebuilder.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.Browser;
import io.imagebuilder.console.ConsoleApplication;
import io.imagebuilder.console.TestAccounts;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.build.BuildStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pages render, and a bad form is shown again with the library's message and nothing queued.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UiControllerTest {
  @TempDir static Path data;

  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry r) {
    r.add("console.data-dir", () -> data.resolve("data").toString());
    r.add("console.cache-dir", () -> data.resolve("cache").toString());
  }

  @LocalServerPort int port;
  BuildStore store;
  private final HttpClient http = HttpClient.newHttpClient();
  private Browser browser;

  @org.junit.jupiter.api.BeforeEach
  void logIn(ApplicationContext context) throws Exception {
    store = context.getBean(BuildStore.class);
    TestAccounts.token(context, "carol", Role.BUILD, "carol's long password");
    browser = new Browser(port);
    HttpResponse<String> r = browser.logIn("carol", "carol's long password");
    assertEquals(302, r.statusCode(), r.body());
    assertEquals("/", URI.create(r.headers().firstValue("Location").orElseThrow()).getPath());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return browser.get(path);
  }

  @Test
  void withoutALoginThePagesSendToTheLoginPage() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(302, r.statusCode());
    assertTrue(
        r.headers().firstValue("Location").orElseThrow().endsWith("/login"),
        r.headers().toString());
    HttpResponse<String> page = new Browser(port).get("/login");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("Password or API token"), page.body());
    HttpResponse<String> wrong = new Browser(port).logIn("carol", "not her password");
    assertTrue(wrong.headers().firstValue("Location").orElseThrow().endsWith("/login?error"));
  }

  @Test
  void aFormWithoutItsCsrfTokenIsRefused() throws Exception {
    HttpResponse<String> r =
        browser.post("/builds", "imageType=rootfs&series=bookworm&arch=amd64&packages=hello");
    assertEquals(403, r.statusCode(), r.body());
    assertEquals(0, store.all().size());
  }

  @Test
  void theHomePageHasTheStartFormAndTheQueue() throws Exception {
    HttpResponse<String> r = get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<form method=\"post\" action=\"/builds\""), r.body());
    assertTrue(r.body().contains("name=\"packages\""), r.body());
    assertTrue(r.body().contains("qemu-arm64"), "boards are offered: " + r.body());
    assertTrue(r.body().contains("id=\"builds\""), r.body());
    assertTrue(r.body().contains("name=\"_csrf\""), "the form carries its CSRF token: " + r.body());
    assertTrue(r.body().contains("<b id=\"user\">carol</b>"), r.body());
  }

  @Test
  void aBadFormIsShownAgainWithTheMessage() throws Exception {
    HttpResponse<String> r =
        browser.submit(
            "/",
            "/builds",
            "imageType=rootfs&series=bookworm&arch=amd64&variant=minbase&packages=hello&ppas=foo");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("invalid PPA &#39;foo&#39;"), r.body());
    assertTrue(r.body().contains("value=\"hello\""), "the form keeps what was typed: " + r.body());
    assertEquals(0, store.all().size());
  }

  @Test
  void theLookupPageAnswersABadHash() throws Exception {
    assertEquals(200, get("/lookup").statusCode());
    HttpResponse<String> r = get("/lookup?sha256=abc");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("invalid sha256 &#39;abc&#39;"), r.body());
    assertEquals(404, get("/builds/0123456789abcdef").statusCode());
  }
}
