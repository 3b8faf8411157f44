package io.imagebuilder.arm.internal.mount;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.io.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Marks a target root as owned by a live build: a {@link DirectoryLock} file beside the root
 * ({@code .<name>.imagebuilder.lock}) held for as long as the build's executor is open. The kernel
 * drops the lock when the JVM dies, even by {@code kill -9}, so a later build can tell stale mounts
 * from live ones.
 *
 * <p>The lock lives beside the root, never inside it, so it never ends up in an image.
 */
public final class RootLock implements AutoCloseable {
  private final Path root;
  private final DirectoryLock lock;

  private RootLock(Path root, DirectoryLock lock) {
    this.root = root;
    this.lock = lock;
  }

  /** The lock file that marks {@code root} as owned. */
  public static Path lockFileFor(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    if (abs.getParent() == null) {
      throw new IllegalArgumentException(
          "invalid root '" + root + "' (expected a directory below /)");
    }
    return abs.resolveSibling("." + abs.getFileName() + ".imagebuilder.lock");
  }

  /**
   * Takes the lock for {@code root}.
   *
   * @throws ImageBuildException when another live build (of this JVM or another) holds it
   */
  public static RootLock acquire(Path root) throws ImageBuildException {
    Path abs = root.toAbsolutePath().normalize();
    Path file = lockFileFor(abs);
    Optional<DirectoryLock> held;
    try {
      held = DirectoryLock.tryAcquire(file);
    } catch (IOException e) {
      throw new ImageBuildException("cannot lock root " + abs + " through " + file + ": " + e, e);
    }
    if (held.isEmpty()) {
      throw new ImageBuildException(
          "root "
              + abs
              + " is in use by another build ("
              + DirectoryLock.owner(file)
              + ", lock "
              + file
              + ")");
    }
    return new RootLock(abs, held.get());
  }

  /**
   * Whether a live build (in this JVM or another process) owns {@code root}. A missing lock file
   * means no owner.
   */
  public static boolean isHeld(Path root) {
    return DirectoryLock.isHeld(lockFileFor(root));
  }

  /** Whether a lock file exists for {@code root} (held or not). */
  public static boolean hasLockFile(Path root) {
    return Files.exists(lockFileFor(root), LinkOption.NOFOLLOW_LINKS);
  }

  /** The root this lock marks. */
  public Path root() {
    return root;
  }

  /** Releases the lock and removes the lock file. Safe to call more than once. */
  @Override
  public void close() {
    lock.releaseAndDelete();
  }
}
