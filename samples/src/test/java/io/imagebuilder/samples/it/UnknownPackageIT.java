package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.error.StageFailedException;
import io.imagebuilder.api.event.StageStarted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unknown package name fails the build before any stage runs, within seconds, naming the package
 * and the nearest names in the archive's index (read from deb.debian.org).
 */
class UnknownPackageIT {
  @TempDir Path temp;

  private Duration failOnce(Path cache, List<String> started, String[] message) {
    long t0 = System.nanoTime();
    StageFailedException e =
        assertThrows(
            StageFailedException.class,
            () ->
                ImageBuilder.forSeries("bookworm")
                    .withPackages("no-such-package", "openssh-servr")
                    .build(
                        RunConfiguration.into(temp.resolve("out"))
                            .withCacheDir(cache)
                            .withStageCache(false)
                            .onEvent(StageStarted.class, s -> started.add(s.stageType()))));
    message[0] = e.getMessage();
    assertEquals("rootfs.packages", e.stageType()); // its verify, before any stage runs
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  @Test
  void anUnknownPackageFailsBeforeTheBootstrapNamingTheNearestNames() {
    Path cache = temp.resolve("cache");
    List<String> started = new CopyOnWriteArrayList<>();
    String[] message = new String[1];

    Duration cold = failOnce(cache, started, message);
    Duration warm = failOnce(cache, started, message);

    assertTrue(message[0].contains("unknown packages 'no-such-package'"), message[0]);
    assertTrue(message[0].contains("'openssh-servr' (nearest: openssh-server"), message[0]);
    assertEquals(List.of(), started, "no stage started");
    System.out.println(
        "unknown package: failed after "
            + cold.toMillis()
            + " ms (index not cached), "
            + warm.toMillis()
            + " ms (index cached): "
            + message[0]);
    assertTrue(warm.compareTo(Duration.ofSeconds(10)) < 0, "took " + warm);
  }
}
