package io.imagebuilder.rootfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.stage.Cancellation;
import io.imagebuilder.rootfs.testing.StallingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real build (the native strategy, so root) against a loopback mirror that goes silent: it fails
 * within the configured limit naming the URL, and a cancel (what Ctrl-C does) during the stall ends
 * it within 5 s with no work folder left.
 */
class StalledMirrorIT {
  @TempDir Path temp;

  private ImageBuilder builder(StallingServer server) {
    return ImageBuilder.forSeries("bookworm")
        .forArchitecture("amd64")
        .withMirror(server.uri("debian").toString());
  }

  private RunConfiguration run() {
    return RunConfiguration.into(temp.resolve("out")).withCacheDir(temp.resolve("cache"));
  }

  private List<Path> workFolders() throws Exception {
    Path work = temp.resolve("cache/work");
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(work)) {
      return s.toList();
    }
  }

  @Test
  void aMirrorThatStallsAfterItsHeadersFailsTheBuildWithinTheLimitNamingTheUrl() throws Exception {
    System.setProperty("imagebuilder.http.stallTimeout", "2");
    try (StallingServer server = new StallingServer(StallingServer.Stall.AFTER_HEADERS)) {
      long start = System.nanoTime();
      ImageBuildException e =
          assertThrows(ImageBuildException.class, () -> builder(server).build(run()));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertTrue(
          e.getMessage().contains("no data from " + server.uri("debian") + "/dists/bookworm/"),
          e.getMessage());
      assertTrue(seconds < 15, seconds + " s");
      assertEquals(List.of(), workFolders());
    } finally {
      System.clearProperty("imagebuilder.http.stallTimeout");
    }
  }

  @Test
  void aCancelDuringTheStallEndsTheBuildWithinFiveSecondsLeavingNoWorkFolder() throws Exception {
    try (StallingServer server = new StallingServer(StallingServer.Stall.AFTER_HEADERS)) {
      Cancellation cancellation = new Cancellation();
      Thread canceller =
          new Thread(
              () -> {
                try {
                  Thread.sleep(3000);
                  cancellation.cancel();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      canceller.start();
      long start = System.nanoTime();
      assertThrows(
          BuildCancelledException.class,
          () -> builder(server).build(run().withCancellation(cancellation)));
      long afterCancel = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) - 3000;
      assertTrue(afterCancel < 5000, afterCancel + " ms after the cancel");
      assertEquals(List.of(), workFolders(), "no work folder is left");
    }
  }
}
