package io.imagebuilder.arm.internal.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChrootMountsTest {
  @Test
  void refusesToMountOnASymlinkThatCouldLeadOntoTheHost(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectory(dir.resolve("rootfs"));
    Files.createSymbolicLink(root.resolve("run"), Path.of("/run"));
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> ChrootMounts.safeDirectory(root, "run"));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }

  @Test
  void createsAMissingMountPoint(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectory(dir.resolve("rootfs"));
    assertEquals(root.resolve("proc"), ChrootMounts.safeDirectory(root, "proc"));
    assertTrue(Files.isDirectory(root.resolve("proc")));
  }
}
