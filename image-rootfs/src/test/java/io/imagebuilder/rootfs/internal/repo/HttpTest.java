package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.rootfs.testing.StallingServer;
import io.imagebuilder.rootfs.testing.StallingServer.Stall;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpTest {
  private static final URI URI_WITH_PASSWORD =
      URI.create("https://ci:s3cret@mirror.example/debian/x");

  @Test
  void aConnectExceptionWithoutAMessageIsNamedWithHostPortAndCause() {
    ConnectException e = new ConnectException();
    e.initCause(new ConnectException("Connection refused"));
    assertEquals(
        "cannot connect to mirror.example:443: refused or unreachable (java.net.ConnectException,"
            + " caused by java.net.ConnectException: Connection refused)",
        Http.describe(URI_WITH_PASSWORD, e));
  }

  @Test
  void timeoutsAndUnknownHostsSayWhatHappened() {
    assertEquals(
        "connecting to h:8080 timed out (java.net.http.HttpConnectTimeoutException: HTTP connect timed out)",
        Http.describe(
            URI.create("http://h:8080/"),
            new HttpConnectTimeoutException("HTTP connect timed out")));
    assertEquals(
        "unknown host nowhere.invalid (java.net.UnknownHostException: nowhere.invalid)",
        Http.describe(
            URI.create("http://nowhere.invalid/"), new UnknownHostException("nowhere.invalid")));
  }

  @Test
  void aCauseMentioningTheUrlHasItsPasswordMasked() {
    assertEquals(
        "request to mirror.example:443 failed (java.io.IOException: bad https://ci:***@mirror.example/)",
        Http.describe(
            URI_WITH_PASSWORD, new java.io.IOException("bad https://ci:s3cret@mirror.example/")));
  }

  private static final Duration SILENCE = Duration.ofSeconds(1);

  @Test
  void aBodyThatStallsFailsWithinTheLimitNamingTheUrl() throws Exception {
    try (StallingServer server = new StallingServer(Stall.AFTER_HEADERS)) {
      URI uri = server.uri("pool/main/big.deb");
      HttpResponse<InputStream> response = Http.get(Http.newClient(), uri, null, SILENCE);
      assertEquals(200, response.statusCode());
      long start = System.nanoTime();
      HttpTimeoutException e =
          assertThrows(HttpTimeoutException.class, () -> response.body().readAllBytes());
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(
          "no data from "
              + uri
              + " for 1 s (the limit of silence, set by -Dimagebuilder.http.stallTimeout)",
          e.getMessage());
      assertTrue(millis >= 900 && millis < 3000, millis + " ms");
      assertThrows(
          HttpTimeoutException.class,
          () -> response.body().read(),
          "a failed body never reads as complete");
    }
  }

  @Test
  void aServerThatNeverAnswersFailsWithinTheSameLimit() throws Exception {
    try (StallingServer server = new StallingServer(Stall.BEFORE_HEADERS)) {
      URI uri = server.uri("dists/bookworm/InRelease");
      long start = System.nanoTime();
      HttpTimeoutException e =
          assertThrows(
              HttpTimeoutException.class, () -> Http.get(Http.newClient(), uri, null, SILENCE));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(
          "no answer from "
              + uri
              + " within 1 s (the limit of silence, set by -Dimagebuilder.http.stallTimeout)",
          e.getMessage());
      assertTrue(millis < 3000, millis + " ms");
    }
  }

  @Test
  void anInterruptEndsABlockedReadAtOnce() throws Exception {
    try (StallingServer server = new StallingServer(Stall.AFTER_HEADERS)) {
      HttpResponse<InputStream> response =
          Http.get(Http.newClient(), server.uri("big.deb"), null, Duration.ofMinutes(5));
      CompletableFuture<Throwable> ended = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  response.body().readAllBytes();
                  ended.complete(null);
                } catch (Throwable t) {
                  ended.complete(t);
                }
              });
      reader.start();
      Thread.sleep(300);
      long start = System.nanoTime();
      reader.interrupt();
      Throwable t = ended.get(5, TimeUnit.SECONDS);
      assertTrue(t instanceof InterruptedIOException, String.valueOf(t));
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000);
    }
  }

  @Test
  void theLimitIsAHostSettingInSeconds() {
    System.setProperty("imagebuilder.http.stallTimeout", "2.5");
    try {
      assertEquals(Duration.ofMillis(2500), Http.silence());
      System.setProperty("imagebuilder.http.stallTimeout", "soon");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Http::silence);
      assertEquals(
          "invalid HTTP stall timeout 'soon' (expected seconds, > 0 and at most 86400) from -Dimagebuilder.http.stallTimeout",
          e.getMessage());
    } finally {
      System.clearProperty("imagebuilder.http.stallTimeout");
    }
    assertEquals(Duration.ofSeconds(30), Http.silence());
  }
}
