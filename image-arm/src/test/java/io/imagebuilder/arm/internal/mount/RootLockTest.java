package io.imagebuilder.arm.internal.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootLockTest {
  @Test
  void theLockFileSitsBesideTheRootNotInIt(@TempDir Path dir) {
    Path root = dir.resolve("rootfs");
    assertEquals(dir.resolve(".rootfs.imagebuilder.lock"), RootLock.lockFileFor(root));
  }

  @Test
  void heldWhileOpenFreeAfterClose(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectory(dir.resolve("rootfs"));
    assertFalse(RootLock.isHeld(root));
    try (RootLock lock = RootLock.acquire(root)) {
      assertTrue(RootLock.isHeld(root));
      assertEquals(
          "pid " + ProcessHandle.current().pid() + "\n",
          Files.readString(RootLock.lockFileFor(root)));
      ImageBuildException e = assertThrows(ImageBuildException.class, () -> RootLock.acquire(root));
      assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("this process"), e.getMessage());
      // checking must not drop this JVM's own lock
      assertTrue(RootLock.isHeld(root));
    }
    assertFalse(RootLock.isHeld(root));
    assertFalse(Files.exists(RootLock.lockFileFor(root)));
  }

  @Test
  void aLeftoverUnlockedFileIsNotAnOwner(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectory(dir.resolve("rootfs"));
    Files.writeString(RootLock.lockFileFor(root), "12345\n");
    assertFalse(RootLock.isHeld(root));
    RootLock.acquire(root).close();
  }
}
