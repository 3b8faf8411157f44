package io.imagebuilder.console.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.ConsoleApplication;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.TestAccounts;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildIds;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bad input to the REST API (issue 16, item 9): each is answered with its status code and a message
 * that names the bad value, and nothing is queued. No root, no network: no valid build is
 * submitted; the download checks use a finished build the test puts in the store.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "console.max-request-bytes=4096")
class BadInputTest {
  @TempDir static Path data;

  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry r) {
    r.add("console.data-dir", () -> data.resolve("data").toString());
    r.add("console.cache-dir", () -> data.resolve("cache").toString());
  }

  @LocalServerPort int port;
  BuildStore store;
  ConsoleSettings settings;

  private final HttpClient http = HttpClient.newHttpClient();
  private int buildsBefore;
  private static String token;

  /** A request of an account that may build: the refusals below are about the input. */
  private static HttpRequest.Builder authorized(URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
  }

  @BeforeEach
  void count(ApplicationContext context) {
    store = context.getBean(BuildStore.class);
    settings = context.getBean(ConsoleSettings.class);
    if (token == null) {
      token = TestAccounts.token(context, "dave", Role.BUILD);
    }
    buildsBefore = store.all().size();
  }

  @AfterEach
  void nothingQueued() {
    assertEquals(
        buildsBefore, store.all().size(), "a refused submission queued a build: " + store.all());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        authorized(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = authorized(URI.create("http://localhost:" + port + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String... fragments) {
    assertEquals(status, r.statusCode(), r.body());
    for (String f : fragments) {
      assertTrue(r.body().contains(f), "expected '" + f + "' in " + r.body());
    }
  }

  @Test
  void invalidJsonIsRefusedWithWhereItBroke() throws Exception {
    assertProblem(
        post("/api/builds", "{\"image_type\": \"rootfs\", \"series\": "),
        400,
        "invalid request JSON at line 1");
  }

  @Test
  void anUnknownFieldOfARequestIsNamed() throws Exception {
    assertProblem(
        post(
            "/api/builds",
            "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"colour\":\"red\"}"),
        400,
        "colour");
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithWhatWasExpected() throws Exception {
    assertProblem(
        post("/api/builds", "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"arch\":5}"),
        400,
        "invalid arch '5'",
        "expected a string");
  }

  @Test
  void aBadPpaGetsTheLibrarysMessage() throws Exception {
    assertProblem(
        post(
            "/api/builds",
            "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"ppa_list\":[\"foo\"]}"),
        400,
        "invalid PPA 'foo'");
  }

  @Test
  void anUnknownSeriesIsRefused() throws Exception {
    assertProblem(
        post("/api/builds", "{\"image_type\":\"rootfs\",\"series\":\"narnia\"}"), 400, "narnia");
  }

  @Test
  void oneBadRequestInAListQueuesNoneOfThem() throws Exception {
    assertProblem(
        post(
            "/api/builds",
            "[{\"image_type\":\"rootfs\",\"series\":\"bookworm\"},"
                + "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":[\"a b\"]}]"),
        400,
        "a b");
  }

  @Test
  void anImageSpecWithAnUnknownFieldIsRefused() throws Exception {
    assertProblem(post("/api/builds", "{\"series\":\"bookworm\",\"colour\":1}"), 400, "colour");
  }

  @Test
  void anImageSpecMayNotNameAHostFile() throws Exception {
    assertProblem(
        post(
            "/api/builds",
            "{\"series\":\"bookworm\",\"architecture\":\"amd64\",\"baseImage\":\"/etc/passwd\"}"),
        400,
        "local path '/etc/passwd'");
  }

  @Test
  void aRequestMayNotNameAHostFile() throws Exception {
    assertProblem(
        post(
            "/api/builds",
            "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"image\":\"/etc/shadow\"}"),
        400,
        "local path '/etc/shadow'");
  }

  @Test
  void anOversizedBodyIsRefused() throws Exception {
    String big =
        "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":["
            + "\"hello\",".repeat(1000)
            + "\"hello\"]}";
    assertProblem(post("/api/builds", big), 413, "too large", "4096");
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedByMediaType() throws Exception {
    HttpResponse<String> r =
        http.send(
            authorized(URI.create("http://localhost:" + port + "/api/builds"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("series=bookworm"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(415, r.statusCode(), r.body());
  }

  @Test
  void unknownBuildsAndBadFiltersAreAnswered() throws Exception {
    assertProblem(get("/api/builds/0123456789abcdef"), 404, "no build '0123456789abcdef'");
    assertProblem(get("/api/builds/..%2F..%2Fetc"), 400);
    assertProblem(get("/api/builds?status=DONE"), 400, "invalid status 'DONE'", "SUCCEEDED");
    assertProblem(post("/api/builds/0123456789abcdef/cancel", ""), 404);
  }

  @Test
  void lookupsCheckTheHash() throws Exception {
    assertProblem(get("/api/images/abc"), 400, "invalid sha256 'abc'", "64 hex digits");
    assertProblem(get("/api/images/" + "0".repeat(64)), 404, "is indexed");
  }

  @Test
  void artifactNamesWithPathTricksAreRefused() throws Exception {
    BuildView b = finishedBuild("secret".getBytes(StandardCharsets.UTF_8));
    String base = "/api/builds/" + b.id() + "/artifacts/";
    // Refused by the security firewall before it reaches the controller.
    assertProblem(get(base + ".."), 400, "invalid request path", "not normalized");
    assertProblem(get(base + ".build.log"), 400, "invalid artifact name");
    assertProblem(get(base + "..%2F..%2Fbuild.json"), 400);
    assertProblem(get(base + "..%5Cbuild.json"), 400);
    assertProblem(get(base + "build.log"), 404, "has no artifact 'build.log'", "image.tar");
  }

  @Test
  void anArtifactIsServedWithRangesAndItsSha256AsETag() throws Exception {
    byte[] content = "0123456789".repeat(100).getBytes(StandardCharsets.UTF_8);
    BuildView b = finishedBuild(content);
    String path = "/api/builds/" + b.id() + "/artifacts/image.tar";
    String sha = b.artifacts().get(0).sha256();

    HttpResponse<byte[]> whole =
        http.send(
            authorized(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, whole.statusCode());
    assertArrayEquals(content, whole.body());
    assertEquals("\"" + sha + "\"", whole.headers().firstValue("ETag").orElseThrow());

    HttpResponse<String> part = get(path, "Range", "bytes=10-14");
    assertEquals(206, part.statusCode());
    assertEquals("01234", part.body());
    assertEquals("bytes 10-14/1000", part.headers().firstValue("Content-Range").orElseThrow());

    assertEquals(304, get(path, "If-None-Match", "\"" + sha + "\"").statusCode());
    assertEquals(416, get(path, "Range", "bytes=5000-6000").statusCode());
  }

  @Test
  void anEmptyUploadIsRefusedAndNoUploadIsLeft() throws Exception {
    String boundary = "b0undary";
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.img\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n\r\n--"
            + boundary
            + "--\r\n";
    HttpResponse<String> r =
        http.send(
            authorized(URI.create("http://localhost:" + port + "/api/images/identify"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertProblem(r, 400, "empty upload");
    try (Stream<Path> left = Files.list(settings.uploadsDir())) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void theOpenApiDocumentDescribesTheEndpoints() throws Exception {
    HttpResponse<String> r = get("/v3/api-docs");
    assertEquals(200, r.statusCode());
    for (String p :
        List.of(
            "/api/builds",
            "/api/builds/{id}",
            "/api/builds/{id}/log/stream",
            "/api/builds/{id}/cancel",
            "/api/builds/{id}/artifacts/{name}",
            "/api/builds/{id}/manifest",
            "/api/images/{sha256}",
            "/api/images/identify")) {
      assertTrue(r.body().contains("\"" + p + "\""), p + " missing from " + r.body());
    }
  }

  /** A build that succeeded with one artifact, image.tar, as the store would hold it. */
  private BuildView finishedBuild(byte[] content) throws IOException, NoSuchAlgorithmException {
    String id = BuildIds.next();
    Path out = Files.createDirectories(settings.buildsDir().resolve(id).resolve("out"));
    Files.write(out.resolve("image.tar"), content);
    Files.writeString(settings.buildsDir().resolve(id).resolve("build.log"), "done\n");
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    BuildView b =
        new BuildView(
            id,
            BuildStatus.SUCCEEDED,
            "rootfs",
            "bookworm",
            "amd64",
            null,
            List.of(),
            "",
            "0".repeat(64),
            "{}",
            "test",
            "127.0.0.1",
            Instant.now(),
            Instant.now(),
            Instant.now(),
            List.of(),
            List.of(new ArtifactView("image.tar", "tar", content.length, sha, null)),
            null,
            null);
    store.save(b);
    buildsBefore++;
    return b;
  }
}
