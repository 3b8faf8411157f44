package io.imagebuilder.rootfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.StageStarted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the arm64 interpreter of binfmt_misc disabled, an arm64 build fails before any stage runs
 * (so before any download), and the message names the package and the command that fix it. The test
 * switches the registration off and always back on.
 */
class BinfmtPreflightIT {
  private static final Path AARCH64 = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");

  @TempDir Path temp;

  @Test
  void anArm64BuildWithoutItsInterpreterFailsBeforeAnyDownload() throws Exception {
    assertTrue(
        Files.readString(AARCH64).startsWith("enabled"), "the test setup registers qemu-aarch64");
    Path cache = temp.resolve("cache");
    List<String> started = new CopyOnWriteArrayList<>();
    ImageBuilder builder = ImageBuilder.forSeries("bookworm").forArchitecture("arm64");
    RunConfiguration run =
        RunConfiguration.into(temp.resolve("out"))
            .withCacheDir(cache)
            .onEvent(StageStarted.class, e -> started.add(e.stageType()));
    ImageBuildException e;
    Files.writeString(AARCH64, "0");
    try {
      e = assertThrows(ImageBuildException.class, () -> builder.build(run));
    } finally {
      Files.writeString(AARCH64, "1");
    }
    assertTrue(e.getMessage().contains("qemu-user-static"), e.getMessage());
    assertTrue(e.getMessage().contains("update-binfmts --enable qemu-aarch64"), e.getMessage());
    assertFalse(e.getMessage().contains("Exec format error"), e.getMessage());
    assertEquals(List.of(), started, "no stage ran");
    assertFalse(Files.exists(cache.resolve("packages")), "nothing was downloaded");
  }
}
