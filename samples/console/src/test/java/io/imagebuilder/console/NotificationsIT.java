package io.imagebuilder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.imagebuilder.console.account.AccountService;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.notify.Webhooks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Notifications reaching real servers on loopback: Debian's aiosmtpd (python3-aiosmtpd) as the SMTP
 * server, writing a Maildir, and the JDK's HTTP server as the webhook receiver, which checks the
 * signature with the secret and answers 503 to the first try. A build of a package the archive does
 * not have fails within seconds (real Debian archive); its mail must carry the failing stage, the
 * error and the log's last lines, and its webhook body must verify.
 */
@SpringBootTest(
    classes = ConsoleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationsIT {
  private static final String SECRET = "webhook secret of NotificationsIT";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path data;
  private static Process smtp;
  private static HttpServer receiver;

  /** One webhook request as the receiver saw it. */
  record Delivery(Instant at, int answered, String body, boolean signatureVerified) {}

  private static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry r) throws Exception {
    Path cache = ItCaches.in(data);
    r.add("console.cache-dir", cache::toString);
    r.add("console.data-dir", () -> data.resolve("console").toString());

    int smtpPort = freePort();
    smtp =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                "127.0.0.1:" + smtpPort,
                "-c",
                "aiosmtpd.handlers.Mailbox",
                data.resolve("maildir").toString())
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("smtp.log").toFile())
            .start();
    awaitListening(smtpPort);
    r.add("spring.mail.host", () -> "127.0.0.1");
    r.add("spring.mail.port", () -> smtpPort);

    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String signature = exchange.getRequestHeaders().getFirst(Webhooks.SIGNATURE_HEADER);
          boolean verified = signature != null && signature.equals(hmac(body));
          int answer = deliveries.isEmpty() ? 503 : verified ? 204 : 401;
          deliveries.add(
              new Delivery(
                  Instant.now(), answer, new String(body, StandardCharsets.UTF_8), verified));
          exchange.sendResponseHeaders(answer, -1);
          exchange.close();
        });
    receiver.start();
    r.add(
        "console.webhooks[0].url",
        () -> "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    r.add("console.webhooks[0].secret", () -> SECRET);
    r.add("console.public-url", () -> "https://ib.example.test/");
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    if (receiver != null) {
      receiver.stop(0);
    }
    if (smtp != null) {
      smtp.destroy();
      smtp.waitFor();
    }
  }

  /** The receiver's own check, written apart from the console's code: hex HMAC-SHA256. */
  private static String hmac(byte[] body) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitListening(int port) throws Exception {
    Instant end = Instant.now().plusSeconds(20);
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.shutdownOutput();
        return;
      } catch (IOException e) {
        if (Instant.now().isAfter(end) || !smtp.isAlive()) {
          throw new IllegalStateException(
              "aiosmtpd did not listen on "
                  + port
                  + ": "
                  + Files.readString(data.resolve("smtp.log")),
              e);
        }
        Thread.sleep(100);
      }
    }
  }

  @LocalServerPort int port;
  @Autowired AccountService accounts;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  @Order(1)
  void aFailedBuildIsMailedWithItsStageAndLogAndItsSignedWebhookIsRetriedOnce() throws Exception {
    accounts.create("nora", Set.of(Role.BUILD), null, "nora@example.org", "test", "127.0.0.1");
    String token = accounts.newToken("nora", "test", "127.0.0.1").token();

    String id = submit(token, "no-such-package-notificationsit");

    JsonNode build = awaitEnd(id, token);
    assertEquals("FAILED", build.get("status").asText(), build.toString());
    String stage = build.path("failedStage").asText(null);
    // the packages stage checks the list against the archive before it downloads anything
    assertEquals("rootfs.packages", stage, build.toString());
    String error = build.get("error").asText();

    // The mail, as the SMTP server stored it.
    String mail = awaitMail(id);
    assertTrue(mail.contains("To: nora@example.org"), mail);
    assertTrue(mail.contains("Subject: [imagebuilder] build " + id + " failed"), mail);
    assertTrue(mail.contains("https://ib.example.test/builds/" + id), mail);
    assertTrue(mail.contains("Failed stage: " + stage + "\n"), mail);
    assertTrue(mail.contains("Error: " + error), mail);
    List<String> log =
        Files.readAllLines(data.resolve("console/builds").resolve(id).resolve("build.log"));
    List<String> last = log.subList(Math.max(0, log.size() - 20), log.size());
    for (String line : last) {
      assertTrue(mail.contains("  " + line + "\n"), "log line '" + line + "' in " + mail);
    }
    assertTrue(last.get(last.size() - 1).startsWith("build " + id + " failed"), last.toString());

    // The webhook: a 503 first, then the same signed body again after about a second.
    Instant end = Instant.now().plusSeconds(30);
    while (deliveries.size() < 2 && Instant.now().isBefore(end)) {
      Thread.sleep(100);
    }
    assertEquals(2, deliveries.size(), deliveries.toString());
    Delivery first = deliveries.get(0);
    Delivery second = deliveries.get(1);
    assertEquals(503, first.answered());
    assertTrue(second.signatureVerified(), "the signature verifies with the secret");
    assertEquals(204, second.answered());
    assertEquals(first.body(), second.body());
    assertTrue(
        Duration.between(first.at(), second.at()).toMillis() >= 900,
        "retried after the back-off: " + deliveries);
    JsonNode body = JSON.readTree(second.body());
    assertEquals(id, body.get("id").asText());
    assertEquals("FAILED", body.get("status").asText());
    assertEquals("notify-it", body.get("trigger").asText());
    assertEquals(build.get("specHash").asText(), body.get("specHash").asText());
    assertEquals(stage, body.get("failedStage").asText());
    assertEquals(error, body.get("error").asText());
  }

  @Test
  @Order(2)
  void aSuccessfulBuildIsMailedWithItsArtifactsSha256() throws Exception {
    String token = accounts.newToken("nora", "test", "127.0.0.1").token();
    String id = submit(token, "hello");
    JsonNode build = awaitEnd(id, token);
    assertEquals("SUCCEEDED", build.get("status").asText(), build.toString());
    String mail = awaitMail(id);
    assertTrue(mail.contains("Subject: [imagebuilder] build " + id + " succeeded"), mail);
    assertTrue(mail.contains("https://ib.example.test/builds/" + id), mail);
    JsonNode artifacts = build.get("artifacts");
    assertFalse(artifacts.isEmpty(), build.toString());
    for (JsonNode a : artifacts) {
      String line = a.get("name").asText() + "  sha256 " + a.get("sha256").asText();
      assertTrue(mail.contains(line), "'" + line + "' in " + mail);
    }
    assertFalse(mail.contains("Failed stage"), mail);
  }

  private String submit(String token, String pkg) throws Exception {
    HttpResponse<String> submitted =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/builds"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"arch\":"
                            + " \"amd64\", \"variant\": \"minbase\", \"package_list\":"
                            + " [\""
                            + pkg
                            + "\"], \"trigger\": \"notify-it\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, submitted.statusCode(), submitted.body());
    return JSON.readTree(submitted.body()).get(0).get("id").asText();
  }

  private JsonNode awaitEnd(String id, String token) throws Exception {
    Instant end = Instant.now().plus(Duration.ofMinutes(5));
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/builds/" + id))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode b = JSON.readTree(r.body());
      String status = b.path("status").asText();
      if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status)) {
        return b;
      }
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("build " + id + " did not end: " + r.body());
      }
      Thread.sleep(500);
    }
  }

  /** The message about build {@code id} in the Maildir's new/ folder, quoted-printable decoded. */
  private static String awaitMail(String id) throws Exception {
    Path incoming = data.resolve("maildir").resolve("new");
    Instant end = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(end)) {
      if (Files.isDirectory(incoming)) {
        try (Stream<Path> s = Files.list(incoming)) {
          for (Path file : s.toList()) {
            String raw = Files.readString(file).replace("\r\n", "\n");
            String mail =
                raw.contains("Content-Transfer-Encoding: quoted-printable")
                    ? quotedPrintable(raw)
                    : raw;
            if (mail.contains("Subject: [imagebuilder] build " + id + " ")) {
              return mail;
            }
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no mail in " + incoming + "; SMTP server: " + Files.readString(data.resolve("smtp.log")));
  }

  private static String quotedPrintable(String text) {
    String joined = text.replace("=\n", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < joined.length(); i++) {
      char c = joined.charAt(i);
      if (c == '='
          && i + 2 < joined.length()
          && isHex(joined.charAt(i + 1))
          && isHex(joined.charAt(i + 2))) {
        out.write(Integer.parseInt(joined.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
