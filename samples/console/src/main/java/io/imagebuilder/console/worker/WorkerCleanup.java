package io.imagebuilder.console.worker;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.ExecutorProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A worker runs one build at a time in its own work directory, so whatever is in it when no build
 * runs was left by a worker that was killed: the library's strategies end its processes and undo
 * its mounts ({@link ExecutorProvider#cleanStale(Path)}), then its files are removed, never across
 * a mount point.
 */
public final class WorkerCleanup {
  private WorkerCleanup() {}

  /** Cleans {@code workParent}, which holds only this worker's build work directories. */
  static void clean(Path workParent) throws IOException {
    if (!Files.isDirectory(workParent)) {
      return;
    }
    for (ExecutorProvider p : ExecutionStrategies.available()) {
      try {
        p.cleanStale(workParent);
      } catch (ImageBuildException e) {
        throw new IOException("cannot clean what a killed build left in " + workParent, e);
      }
    }
    try (Stream<Path> dirs = Files.list(workParent)) {
      for (Path d : dirs.toList()) {
        deleteTree(d);
      }
    }
  }

  /** Deletes {@code dir} and what is in it, refusing to cross a mount point. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Object device = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!device.equals(Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
          throw new IOException("refusing to delete across a mount point: " + p);
        }
        Files.delete(p);
      }
    }
  }
}
