package io.imagebuilder.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.ConsoleApplication;
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

  @org.junit.jupiter.api.BeforeEach
  void beans(ApplicationContext context) {
    store = context.getBean(BuildStore.class);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theHomePageHasTheStartFormAndTheQueue() throws Exception {
    HttpResponse<String> r = get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<form method=\"post\" action=\"/builds\""), r.body());
    assertTrue(r.body().contains("name=\"packages\""), r.body());
    assertTrue(r.body().contains("qemu-arm64"), "boards are offered: " + r.body());
    assertTrue(r.body().contains("id=\"builds\""), r.body());
  }

  @Test
  void aBadFormIsShownAgainWithTheMessage() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/builds"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "imageType=rootfs&series=bookworm&arch=amd64&variant=minbase&packages=hello"
                            + "&ppas=foo"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
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
