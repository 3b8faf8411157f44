package io.imagebuilder.console.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildView;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The webhook's body, its signature, its retries and its URLs. */
class WebhooksTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static BuildView build(
      BuildStatus status, List<ArtifactView> artifacts, String error, String stage) {
    Instant t = Instant.parse("2026-12-07T01:00:00Z");
    return new BuildView(
        "b-42",
        status,
        "rootfs",
        "bookworm",
        "amd64",
        null,
        List.of("hello"),
        "ci-7",
        "ab12cd",
        "{}",
        "erin",
        "127.0.0.1",
        t,
        t,
        t.plusSeconds(40),
        List.of(),
        artifacts,
        error,
        stage);
  }

  @Test
  void theBodyNamesTheBuildItsOutcomeAndEachArtifactsSha256() throws Exception {
    BuildView ok =
        build(
            BuildStatus.SUCCEEDED,
            List.of(new ArtifactView("rootfs.tar.zst", "tar.zst", 123, "e3b0c4", null)),
            null,
            null);
    JsonNode body = JSON.readTree(Webhooks.body(ok, JSON));
    assertEquals(
        List.of("id", "status", "trigger", "specHash", "artifacts", "failedStage", "error"),
        iterable(body.fieldNames()));
    assertEquals("b-42", body.get("id").asText());
    assertEquals("SUCCEEDED", body.get("status").asText());
    assertEquals("ci-7", body.get("trigger").asText());
    assertEquals("ab12cd", body.get("specHash").asText());
    assertEquals(
        "[{\"name\":\"rootfs.tar.zst\",\"sha256\":\"e3b0c4\"}]", body.get("artifacts").toString());
    assertTrue(body.get("error").isNull());

    JsonNode failed =
        JSON.readTree(
            Webhooks.body(
                build(BuildStatus.FAILED, List.of(), "no package 'nope'", "packages"), JSON));
    assertEquals("packages", failed.get("failedStage").asText());
    assertEquals("no package 'nope'", failed.get("error").asText());
  }

  @Test
  void theSignatureIsTheHexHmacSha256OfTheBody() {
    // RFC 4231, test case 2
    assertEquals(
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        Webhooks.signature(
            "Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(
        Webhooks.signature("Jefe", "x".getBytes(StandardCharsets.US_ASCII))
            .equals(Webhooks.signature("Jeff", "x".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void retriesWaitOneTwoFourThenEightSecondsForFiveTriesInAll() {
    assertEquals(5, Webhooks.TRIES);
    assertEquals(
        List.of(1L, 2L, 4L, 8L),
        IntStream.rangeClosed(2, Webhooks.TRIES)
            .mapToObj(n -> Webhooks.delayBefore(n, Duration.ofSeconds(1)).toSeconds())
            .toList());
    assertThrows(
        IllegalArgumentException.class, () -> Webhooks.delayBefore(6, Duration.ofSeconds(1)));
    assertTrue(Webhooks.retried(503) && Webhooks.retried(500));
    assertFalse(Webhooks.retried(404) || Webhooks.retried(200) || Webhooks.retried(301));
  }

  @Test
  void onlyHttpUrlsAreTakenAndTheErrorNamesTheBadOneNotTheSecret() {
    new NotifySettings.Webhook(URI.create("https://ci.example.org/hook"), "s3cret");
    for (String bad : List.of("ftp://ci.example.org/hook", "file:///etc/passwd", "/relative")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new NotifySettings.Webhook(URI.create(bad), "s3cret"));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
      assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new NotifySettings.Webhook(URI.create("http://ci.example.org/"), ""));
    String shown =
        new NotifySettings.Webhook(URI.create("https://u:pw@ci.example.org:8443/h?k=v"), "s3cret")
            .toString();
    assertEquals("Webhook[https://ci.example.org:8443/h]", shown);
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
