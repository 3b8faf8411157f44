package io.imagebuilder.rootfs.internal.repo;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes of small cache files that readers in other builds see whole or not at all. */
final class CacheFiles {
  private CacheFiles() {}

  /** Writes {@code bytes} under a temporary name beside {@code target}, then renames it. */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path dir = Files.createDirectories(target.toAbsolutePath().getParent());
    Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
    try {
      Files.write(temp, bytes);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
