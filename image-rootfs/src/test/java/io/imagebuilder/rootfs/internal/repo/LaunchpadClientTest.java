package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.imagebuilder.api.spec.Ppa;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchpadClientTest {
  private static final String FP = "0123456789ABCDEF0123456789ABCDEF01234567";
  private static final Ppa PPA = Ppa.parse("ppa:team/tools");

  @TempDir Path temp;
  HttpServer server;
  URI api;

  /** What the API answers for each path below /1.0; others get 404. */
  final Map<String, String> answers = new ConcurrentHashMap<>();

  final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/1.0/",
        exchange -> {
          String path = exchange.getRequestURI().getRawPath().substring("/1.0".length());
          requests.add(path + " " + exchange.getRequestHeaders().getFirst("Accept"));
          String body = answers.get(path);
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
          exchange.close();
        });
    server.start();
    api = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/1.0/");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private LaunchpadClient client() {
    return new LaunchpadClient(api, temp.resolve("cache/keys"));
  }

  private static String archive(String fingerprintJson) {
    // The shape of Launchpad's archive resource, trimmed.
    return "{\"self_link\": \"https://api.launchpad.net/1.0/~team/+archive/ubuntu/tools\", \"name\": \"tools\","
        + " \"private\": false, \"signing_key_fingerprint\": "
        + fingerprintJson
        + ", \"status\": \"Active\"}";
  }

  @Test
  void asksTheArchiveResourceCachesTheAnswerAndUsesTheCacheOnceTheApiIsGone() throws Exception {
    answers.put("/~team/+archive/ubuntu/tools", archive("\"" + FP.toLowerCase() + "\""));

    assertEquals(FP, client().signingKeyFingerprint(PPA));

    assertEquals(List.of("/~team/+archive/ubuntu/tools application/json"), requests);
    Path cached = temp.resolve("cache/keys/ppa/team/tools.fingerprint");
    assertEquals(cached, client().cachedFingerprint(PPA));
    assertEquals(FP + "\n", Files.readString(cached));
    try (var files = Files.list(cached.getParent())) {
      assertEquals(List.of(cached), files.toList(), "no temporary file is left");
    }

    server.stop(0);
    assertEquals(FP, client().signingKeyFingerprint(PPA));
    assertEquals(1, requests.size(), "the second question was answered by the cache");
  }

  @Test
  void anUnusableCachedAnswerIsAskedAgain() throws Exception {
    Path cached =
        Files.createDirectories(temp.resolve("cache/keys/ppa/team")).resolve("tools.fingerprint");
    Files.writeString(cached, "DEADBEEF\n");
    answers.put("/~team/+archive/ubuntu/tools", archive("\"" + FP + "\""));

    assertEquals(FP, client().signingKeyFingerprint(PPA));
    assertEquals(FP + "\n", Files.readString(cached));
  }

  @Test
  void aPpaLaunchpadDoesNotKnowNamesThePpaAndTheUrl() {
    RepositoryException e =
        assertThrows(RepositoryException.class, () -> client().signingKeyFingerprint(PPA));
    assertEquals(
        "Launchpad has no PPA ppa:team/tools ("
            + api
            + "~team/+archive/ubuntu/tools answered HTTP 404)",
        e.getMessage());
    assertTrue(
        Files.notExists(temp.resolve("cache/keys/ppa/team/tools.fingerprint")),
        "nothing was cached");
  }

  @Test
  void anAnswerWithoutAFingerprintIsRefused() {
    answers.put("/~team/+archive/ubuntu/tools", archive("null"));
    RepositoryException e =
        assertThrows(RepositoryException.class, () -> client().signingKeyFingerprint(PPA));
    assertTrue(
        e.getMessage()
            .endsWith(
                "~team/+archive/ubuntu/tools) has no signing_key_fingerprint"
                    + " (null: the PPA has no signing key yet)"),
        e.getMessage());

    answers.put("/~team/+archive/ubuntu/tools", archive("\"DEADBEEF\""));
    e = assertThrows(RepositoryException.class, () -> client().signingKeyFingerprint(PPA));
    assertTrue(
        e.getMessage().contains("has an invalid key fingerprint 'DEADBEEF'"), e.getMessage());

    answers.put("/~team/+archive/ubuntu/tools", "<html>maintenance</html>");
    e = assertThrows(RepositoryException.class, () -> client().signingKeyFingerprint(PPA));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Launchpad's answer for PPA ppa:team/tools ("
                    + api
                    + "~team/+archive/ubuntu/tools) is not JSON"),
        e.getMessage());
    assertTrue(
        Files.notExists(temp.resolve("cache/keys/ppa/team/tools.fingerprint")),
        "nothing was cached");
  }

  @Test
  void anUnreachableApiIsAClearError() {
    server.stop(0);
    RepositoryException e =
        assertThrows(RepositoryException.class, () -> client().signingKeyFingerprint(PPA));
    assertTrue(
        e.getMessage()
            .startsWith(
                "cannot ask Launchpad for the key of PPA ppa:team/tools ("
                    + api
                    + "~team/+archive/ubuntu/tools): cannot connect to 127.0.0.1:"),
        e.getMessage());
  }

  @Test
  void apiBasesAreHttpUrisWithoutATrailingSlash() {
    assertEquals(
        URI.create("https://api.launchpad.net/1.0/~o/+archive/ubuntu/n.x"),
        new LaunchpadClient(LaunchpadClient.DEFAULT_API, temp).archiveUri(Ppa.parse("ppa:o/n.x")));
    assertEquals(
        URI.create("http://lp.example:8080/api"),
        LaunchpadClient.api("http://lp.example:8080/api/"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LaunchpadClient.api("api.launchpad.net"));
    assertEquals(
        "invalid Launchpad API 'api.launchpad.net' (expected an http(s) base such as "
            + "https://api.launchpad.net/1.0)",
        e.getMessage());
  }
}
