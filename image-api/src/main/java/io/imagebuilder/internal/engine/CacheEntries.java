package io.imagebuilder.internal.engine;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How a stage cache entry appears: written whole in a temporary directory beside it, then renamed
 * into place, so another JVM sees a whole entry or none.
 */
final class CacheEntries {
  private CacheEntries() {}

  /**
   * Renames {@code written} to {@code entryDir}; when another build stored the same entry first,
   * its entry stands and {@code written} is left for the caller to delete.
   */
  static void moveIntoPlace(Path written, Path entryDir) throws IOException {
    try {
      Files.move(written, entryDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException
        | DirectoryNotEmptyException
        | AtomicMoveNotSupportedException e) {
      // another build stored the same entry first: its entry stands
    }
  }
}
