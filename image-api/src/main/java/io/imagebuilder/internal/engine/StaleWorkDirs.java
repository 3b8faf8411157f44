package io.imagebuilder.internal.engine;

import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.io.DirectoryLock;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.log.Logs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * The work directories of builds under one parent ({@code <cache>/work}): each is {@code
 * <parent>/<uuid>}, owned through the lock file {@code <parent>/<uuid>.lock} that its build holds
 * while it runs ({@link DirectoryLock}). The lock file is in place, locked, before the directory is
 * made, so a directory whose lock is free belongs to a build that is gone (killed, say by {@code
 * kill -9}), and the next build removes it.
 */
public final class StaleWorkDirs {
  private static final Logger LOG = Logs.get(StaleWorkDirs.class);
  private static final String LOCK_SUFFIX = ".lock";

  /** A lock file's temporary name lives microseconds; one older than this is a dead creator's. */
  private static final Duration TEMPORARY_AGE = Duration.ofHours(1);

  private StaleWorkDirs() {}

  /**
   * A new work directory under {@code parent}, locked by this build until {@link Owned#close()}.
   */
  public static Owned create(Path parent) throws IOException {
    Files.createDirectories(parent);
    String id = UUID.randomUUID().toString();
    DirectoryLock lock = DirectoryLock.create(parent.resolve(id + LOCK_SUFFIX));
    try {
      return new Owned(Files.createDirectory(parent.resolve(id)), lock);
    } catch (IOException | RuntimeException e) {
      lock.releaseAndDelete();
      throw e;
    }
  }

  /**
   * Deletes every work directory under {@code parent} whose lock no live build holds (never
   * crossing a mount point: mounts are the executor's to clear first), and lock files left without
   * their directory.
   *
   * @return the directories deleted
   */
  public static List<Path> clean(Path parent) throws IOException {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      return removed;
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(parent)) {
      list.forEach(entries::add);
    }
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (AtomicFiles.isTemporary(name)) {
        deleteIfOld(entry);
      } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        if (removeIfStale(entry, parent.resolve(name + LOCK_SUFFIX))) {
          removed.add(entry);
        }
      } else if (name.endsWith(LOCK_SUFFIX)
          && !Files.exists(
              parent.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length())),
              LinkOption.NOFOLLOW_LINKS)) {
        Optional<DirectoryLock> orphan = DirectoryLock.tryAcquire(entry);
        orphan.ifPresent(DirectoryLock::releaseAndDelete);
      }
    }
    return removed;
  }

  private static boolean removeIfStale(Path dir, Path lockFile) throws IOException {
    if (DirectoryLock.isHeld(lockFile)) {
      return false;
    }
    Optional<DirectoryLock> lock = DirectoryLock.tryAcquire(lockFile);
    if (lock.isEmpty()) {
      return false;
    }
    try {
      LOG.warn("removing the work directory {} of a build that is gone", dir);
      List<Path> mountPoints = SafeDelete.deleteTree(dir);
      if (!mountPoints.isEmpty()) {
        LOG.warn("left {} in place: mount points of a build that is gone", mountPoints);
        lock.get().close();
        return false;
      }
      lock.get().releaseAndDelete();
      return true;
    } catch (IOException | RuntimeException e) {
      lock.get().close();
      throw e;
    }
  }

  private static void deleteIfOld(Path temporary) throws IOException {
    Instant modified = Files.getLastModifiedTime(temporary, LinkOption.NOFOLLOW_LINKS).toInstant();
    if (modified.isBefore(Instant.now().minus(TEMPORARY_AGE))) {
      Files.deleteIfExists(temporary);
    }
  }

  /** A work directory this build owns. */
  public static final class Owned implements AutoCloseable {
    private final Path dir;
    private final DirectoryLock lock;

    Owned(Path dir, DirectoryLock lock) {
      this.dir = dir;
      this.lock = lock;
    }

    public Path dir() {
      return dir;
    }

    /**
     * Gives the directory up: an empty one (a build the stage cache answered never used it) is
     * deleted; the lock file goes with the directory. A directory with something left in it stays,
     * its lock released, so the next build removes what is left.
     */
    @Override
    public void close() {
      try {
        Files.deleteIfExists(dir); // only succeeds when empty
      } catch (IOException e) {
        // not empty (say a mount left in place): the next build's clean-up deals with it
      }
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        lock.close();
      } else {
        lock.releaseAndDelete();
      }
    }
  }
}
