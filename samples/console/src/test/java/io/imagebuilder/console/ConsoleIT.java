package io.imagebuilder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.account.Role;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console, running: a real bookworm amd64 minbase build with {@code hello} submitted over REST
 * (real Debian archive, native as root), its live log followed over SSE to the end, its tarball
 * downloaded and its sha256 checked against the status and the index lookup (by hash and by
 * uploading the file); then a second build cancelled mid-way, leaving no work directory and no
 * mount.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
  @TempDir static Path data;

  /**
   * A cache of its own (so the index holds only this test's builds) whose packages directory is the
   * run's shared package cache ($IMAGEBUILDER_TEST_CACHE, else target/it-cache).
   */
  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry r) throws java.io.IOException {
    Path cache = ItCaches.in(data);
    r.add("console.cache-dir", cache::toString);
    r.add("console.data-dir", () -> data.resolve("console").toString());
  }

  @LocalServerPort int port;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** The build the checks share: one real build in this suite. */
  private static JsonNode built;

  /** The account that builds (role build) and an admin who reads the audit log. */
  private static String builder;

  private static String admin;

  private Browser browser;

  @BeforeEach
  void accounts(ApplicationContext context) {
    if (builder == null) {
      builder = TestAccounts.token(context, "ivan", Role.BUILD, "ivan's long password");
      admin = TestAccounts.token(context, "adele", Role.ADMIN);
    }
  }

  private static HttpRequest.Builder authorized(URI uri) {
    return authorized(uri, builder);
  }

  private static HttpRequest.Builder authorized(URI uri, String token) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r =
        http.send(authorized(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private JsonNode submit(String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            authorized(uri("/api/builds"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
    JsonNode list = JSON.readTree(r.body());
    assertEquals(1, list.size(), r.body());
    assertEquals("QUEUED", list.get(0).get("status").asText());
    return list.get(0);
  }

  @Test
  @Order(1)
  void buildsHelloFollowsTheLiveLogAndDownloadsTheTarball() throws Exception {
    JsonNode queued =
        submit(
            "{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"arch\": \"amd64\","
                + " \"variant\": \"minbase\", \"package_list\": [\"hello\"],"
                + " \"trigger\": \"console-it\"}");
    String id = queued.get("id").asText();
    assertEquals("ivan", queued.get("submittedBy").asText(), queued.toString());
    assertFalse(queued.get("submittedFrom").asText().isEmpty(), queued.toString());

    // The live log, from the first line to the end event.
    List<String> lines = new ArrayList<>();
    String end = null;
    HttpResponse<InputStream> sse =
        http.send(
            authorized(uri("/api/builds/" + id + "/log/stream"))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(20))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, sse.statusCode());
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
      String event = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          String d = line.substring(5);
          if ("end".equals(event)) {
            end = d.trim();
          } else {
            lines.add(d);
          }
        }
      }
    }
    JsonNode status = getJson("/api/builds/" + id);
    assertEquals("SUCCEEDED", end, "end event; status " + status + "; log tail " + tail(lines));
    assertEquals("SUCCEEDED", status.get("status").asText());
    assertTrue(lines.stream().anyMatch(l -> l.contains("rootfs.bootstrap")), "log: " + tail(lines));
    assertTrue(lines.get(lines.size() - 1).contains("succeeded"), tail(lines));

    // Its stages, from the library's events, all succeeded.
    JsonNode stages = status.get("stages");
    assertTrue(stages.size() >= 3, status.toString());
    for (JsonNode s : stages) {
      assertEquals("SUCCEEDED", s.get("status").asText(), s.toString());
    }
    assertEquals("console-it", status.get("trigger").asText());

    // The tarball: downloaded, hashed, and the hash is what status and the index say.
    JsonNode tarball = null;
    for (JsonNode a : status.get("artifacts")) {
      if (a.get("format").asText().startsWith("tar")) {
        tarball = a;
      }
    }
    assertNotNull(tarball, status.toString());
    HttpResponse<InputStream> download =
        http.send(
            authorized(uri("/api/builds/" + id + "/artifacts/" + tarball.get("name").asText()))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, download.statusCode());
    Path file = data.resolve(tarball.get("name").asText());
    try (InputStream in = download.body()) {
      Files.copy(in, file);
    }
    String sha256 =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    assertEquals(tarball.get("sha256").asText(), sha256);
    assertEquals("\"" + sha256 + "\"", download.headers().firstValue("ETag").orElseThrow());
    assertEquals(tarball.get("size").asLong(), Files.size(file));

    JsonNode lookup = getJson("/api/images/" + sha256);
    assertEquals(status.get("specHash").asText(), lookup.get("specHash").asText());
    assertEquals(id, lookup.get("build").asText());
    assertTrue(lookup.get("spec").toString().contains("hello"), lookup.toString());

    JsonNode manifest = getJson("/api/builds/" + id + "/manifest");
    assertTrue(manifest.toString().contains("\"hello\""), "manifest lists hello");

    JsonNode identified = identify(file);
    assertEquals(sha256, identified.get("sha256").asText());
    assertEquals("INDEX", identified.get("source").asText());
    assertEquals(id, identified.get("build").asText());
    built = status;

    // The web UI shows the same build: its stages, artifact link and sha256, and the lookup page
    // finds its spec from the hash.
    String page = page("/builds/" + id);
    assertTrue(page.contains(sha256), page);
    assertTrue(
        page.contains("/api/builds/" + id + "/artifacts/" + tarball.get("name").asText()), page);
    assertTrue(page.contains("rootfs.bootstrap"), page);
    assertTrue(page.contains("submitted by <b id=\"submitted-by\">ivan</b>"), page);

    // The audit log has who submitted it, read by an admin.
    HttpResponse<String> audit =
        http.send(
            authorized(uri("/api/admin/audit"), admin).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, audit.statusCode(), audit.body());
    boolean submitted = false;
    for (JsonNode e : JSON.readTree(audit.body())) {
      submitted |=
          e.get("action").asText().equals("submit")
              && e.get("target").asText().equals(id)
              && e.get("account").asText().equals("ivan");
    }
    assertTrue(submitted, "no audit entry of ivan's submit of " + id + ": " + audit.body());
    String found = page("/lookup?sha256=" + sha256);
    assertTrue(found.contains(status.get("specHash").asText()), found);
    assertTrue(found.contains("/builds/" + id), found);
  }

  /** A page as the browser of a user logged in on the login page sees it. */
  private String page(String path) throws Exception {
    if (browser == null) {
      browser = new Browser(port);
      HttpResponse<String> login = browser.logIn("ivan", "ivan's long password");
      assertFalse(login.headers().firstValue("Location").orElse("").contains("error"));
    }
    HttpResponse<String> r = browser.get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  private JsonNode identify(Path file) throws Exception {
    String boundary = "console-it-" + System.nanoTime();
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"image.tar\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            authorized(uri("/api/images/identify"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(
                    HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  @Order(2)
  void cancelsASecondBuildMidwayAndLeavesNoWorkDirectory(ApplicationContext context)
      throws Exception {
    JsonNode queued =
        submit(
            "{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"arch\": \"amd64\","
                + " \"variant\": \"minbase\", \"package_list\": [\"hello\", \"cowsay\"]}");
    String id = queued.get("id").asText();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    JsonNode status = getJson("/api/builds/" + id);
    // Mid-way: a stage after the first one has started.
    while (!(status.get("status").asText().equals("RUNNING") && status.get("stages").size() >= 2)) {
      assertFalse(status.get("status").asText().matches("SUCCEEDED|FAILED"), status.toString());
      assertTrue(Instant.now().isBefore(deadline), "never got mid-way: " + status);
      Thread.sleep(200);
      status = getJson("/api/builds/" + id);
    }
    Path work = data.resolve("console/work/" + id);
    String other = TestAccounts.token(context, "judy", Role.BUILD);
    HttpResponse<String> refused =
        http.send(
            authorized(uri("/api/builds/" + id + "/cancel"), other)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("was submitted by 'ivan'"), refused.body());
    HttpResponse<String> cancel =
        http.send(
            authorized(uri("/api/builds/" + id + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, cancel.statusCode(), cancel.body());
    while (!status.get("status").asText().equals("CANCELLED")) {
      assertFalse(status.get("status").asText().matches("SUCCEEDED|FAILED"), status.toString());
      assertTrue(Instant.now().isBefore(deadline), "never cancelled: " + status);
      Thread.sleep(200);
      status = getJson("/api/builds/" + id);
    }
    assertTrue(status.get("artifacts").isEmpty(), status.toString());
    for (JsonNode s : status.get("stages")) {
      assertFalse("RUNNING".equals(s.get("status").asText()), "a stage still running: " + s);
    }
    assertFalse(Files.exists(work), "work directory left: " + work);
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    assertFalse(mounts.contains(data.toString()), "mounts left under " + data + ":\n" + mounts);

    // The first build is untouched and still served.
    if (built != null) {
      assertEquals(
          "SUCCEEDED", getJson("/api/builds/" + built.get("id").asText()).get("status").asText());
    }
    JsonNode cancelled = getJson("/api/builds?status=CANCELLED");
    assertEquals(id, cancelled.get(0).get("id").asText());
  }

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
