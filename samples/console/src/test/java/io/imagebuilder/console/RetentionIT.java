package io.imagebuilder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.account.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Retention on a running console (issue 16, item 8): three real bookworm amd64 builds of one spec
 * (the first from the Debian archive, the others from the stage cache) under {@code
 * keep-per-spec=1}; the first is marked a release. The scheduled run (every 2 s here) expires the
 * second once the third has ended: its directory is gone, its row stays marked expired, its image
 * is still found in the index, the release and the newest keep their artifacts, and the audit log
 * says so. Each build records who triggered it, from where and how.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "console.retention.keep-per-spec=1",
      "console.retention.interval=2s",
      // the schedule collects the cache too; this cap keeps everything of the test's cache
      "console.retention.cache-max-bytes=1099511627776"
    })
class RetentionIT {
  @TempDir static Path data;

  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry r) throws java.io.IOException {
    Path cache = ItCaches.in(data);
    r.add("console.cache-dir", cache::toString);
    r.add("console.data-dir", () -> data.resolve("console").toString());
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST =
      "{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"arch\": \"amd64\","
          + " \"variant\": \"minbase\", \"package_list\": [\"hello\"], \"trigger\": \"ret-it\"}";

  @LocalServerPort int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path, String token) throws Exception {
    HttpResponse<String> r = call("GET", path, token, null);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  /** Submits the request and waits for the build to succeed. */
  private JsonNode built(String token) throws Exception {
    HttpResponse<String> r = call("POST", "/api/builds", token, REQUEST);
    assertEquals(202, r.statusCode(), r.body());
    String id = JSON.readTree(r.body()).get(0).get("id").asText();
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode b = json("/api/builds/" + id, token);
      if (!b.get("status").asText().matches("QUEUED|RUNNING")) {
        assertEquals("SUCCEEDED", b.get("status").asText(), b.toString());
        return b;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("build " + id + " did not end in 20 minutes");
  }

  @Test
  void theScheduleExpiresAnOlderBuildOfTheSpecButKeepsTheReleaseAndTheNewest(
      ApplicationContext context) throws Exception {
    String ivan = TestAccounts.token(context, "ivan", Role.BUILD);
    String rita = TestAccounts.token(context, "rita", Role.RELEASE);
    Path builds = context.getBean(ConsoleSettings.class).buildsDir();

    JsonNode first = built(ivan);
    String release = first.get("id").asText();
    assertEquals("ivan", first.get("submittedBy").asText());
    assertEquals("api", first.get("via").asText(), first.toString());
    assertFalse(first.get("submittedFrom").asText().isEmpty(), first.toString());
    HttpResponse<String> marked = call("POST", "/api/builds/" + release + "/release", rita, null);
    assertEquals(200, marked.statusCode(), marked.body());

    String second = built(ivan).get("id").asText();
    assertTrue(Files.isDirectory(builds.resolve(second).resolve("out")));
    String newest = built(ivan).get("id").asText();

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode expired = json("/api/builds/" + second, ivan);
    while (expired.path("expiredAt").isMissingNode() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      expired = json("/api/builds/" + second, ivan);
    }
    assertFalse(expired.path("expiredAt").isMissingNode(), "not expired: " + expired);
    assertEquals("SUCCEEDED", expired.get("status").asText());
    assertFalse(Files.exists(builds.resolve(second)), "its artifacts and log are gone");

    // the index keeps the configuration of the expired build's image
    String sha256 = expired.get("artifacts").get(0).get("sha256").asText();
    JsonNode image = json("/api/images/" + sha256, ivan);
    assertTrue(image.toString().contains("hello"), image.toString());

    for (String kept : new String[] {release, newest}) {
      JsonNode b = json("/api/builds/" + kept, ivan);
      assertTrue(b.path("expiredAt").isMissingNode(), b.toString());
      String name = b.get("artifacts").get(0).get("name").asText();
      HttpResponse<String> download =
          call("GET", "/api/builds/" + kept + "/artifacts/" + name, ivan, null);
      assertEquals(200, download.statusCode(), kept);
    }
    assertEquals("rita", json("/api/builds/" + release, ivan).path("release").path("by").asText());
    assertTrue(
        context.getBean(AuditLog.class).all().stream()
            .anyMatch(
                e ->
                    e.account().equals("retention")
                        && e.action().equals("expire")
                        && e.target().startsWith(second)),
        "the expiry is audited");
    JsonNode disk = json("/api/disk", ivan);
    assertTrue(disk.path("artifactBytesPerAccount").path("ivan").asLong() > 0, disk.toString());
    assertEquals(0, disk.path("nextRetention").size(), disk.toString());
  }
}
