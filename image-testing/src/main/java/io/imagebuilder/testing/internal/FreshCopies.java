package io.imagebuilder.testing.internal;

import io.imagebuilder.internal.io.DirectoryLock;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.io.TreeCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The copies of a fixture's rootfs that tests asked for, each in its own directory under the
 * fixture's {@code copies/}, deleted (never across a mount point) when the test ends.
 */
public final class FreshCopies {
  private final List<Path> made = new ArrayList<>();

  /**
   * A new copy of the prepared fixture's rootfs, made while no command runs in it (another test
   * class, in this JVM or another, may exec in the shared rootfs meanwhile).
   */
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  public synchronized Path copyOf(FixturePreparation.Prepared fixture, Duration lockTimeout)
      throws IOException, InterruptedException {
    Path dir =
        Files.createDirectories(fixture.store().copies()).resolve(UUID.randomUUID().toString());
    Files.createDirectory(dir);
    made.add(dir);
    Path root = dir.resolve("rootfs");
    try (DirectoryLock noExec = RootExec.lock(fixture.rootfs(), lockTimeout)) {
      TreeCopy.copyTo(fixture.rootfs(), root);
    }
    return root;
  }

  /** Deletes every copy made so far. */
  public synchronized void deleteAll() throws IOException {
    IOException failed = null;
    for (Path dir : made) {
      try {
        SafeDelete.deleteTreeOrThrow(dir);
      } catch (IOException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    made.clear();
    if (failed != null) {
      throw failed;
    }
  }
}
