package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes of small cache files that readers in other builds see whole or not at all. */
final class CacheFiles {
  private CacheFiles() {}

  /**
   * Writes {@code bytes} to {@code target} through {@link AtomicFiles}, making its directory first.
   */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    AtomicFiles.write(target, out -> out.write(bytes));
  }
}
