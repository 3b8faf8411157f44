package io.imagebuilder.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
  @TempDir Path temp;

  @Test
  void oneHolderAtATimeInThisJvm() throws Exception {
    Path file = temp.resolve("x.lock");
    try (DirectoryLock lock = DirectoryLock.tryAcquire(file).orElseThrow()) {
      assertEquals(Optional.empty(), DirectoryLock.tryAcquire(file));
      assertTrue(DirectoryLock.isHeld(file));
      assertTrue(
          DirectoryLock.owner(file).contains("pid " + ProcessHandle.current().pid()),
          DirectoryLock.owner(file));
      // Asking again must not have dropped the lock (POSIX locks die with any close of the file).
      assertTrue(DirectoryLock.isHeld(file));
    }
    assertFalse(DirectoryLock.isHeld(file));
    DirectoryLock.tryAcquire(file).orElseThrow().close();
  }

  @Test
  void aLockOfALiveJvmIsRespectedAndOneOfAKilledJvmIsNot() throws Exception {
    Path file = temp.resolve("x.lock");
    ChildJvm child = ChildJvm.start(LockHolderMain.class, file.toString());
    try {
      assertTrue(DirectoryLock.isHeld(file));
      assertEquals(Optional.empty(), DirectoryLock.tryAcquire(file));
      assertEquals("process " + child.pid(), DirectoryLock.owner(file));
    } finally {
      child.kill();
    }
    assertFalse(DirectoryLock.isHeld(file));
    try (DirectoryLock mine = DirectoryLock.tryAcquire(file).orElseThrow()) {
      assertTrue(DirectoryLock.isHeld(file));
    }
  }

  @Test
  void createdLocksAppearLockedAndAreDeletedByTheirHolder() throws Exception {
    Path file = temp.resolve("w.lock");
    DirectoryLock lock = DirectoryLock.create(file);
    assertTrue(DirectoryLock.isHeld(file));
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> DirectoryLock.create(file));
    lock.releaseAndDelete();
    assertTrue(Files.notExists(file));
    try (var s = Files.list(temp)) {
      assertEquals(0, s.count(), "no temporary file is left");
    }
  }
}
