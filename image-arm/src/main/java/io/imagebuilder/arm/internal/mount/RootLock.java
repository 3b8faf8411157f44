package io.imagebuilder.arm.internal.mount;

import io.imagebuilder.api.error.ImageBuildException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Marks a target root as owned by a live build: a lock file beside the root ({@code
 * .<name>.imagebuilder.lock}, holding the owner's pid) locked with a {@link FileChannel} lock for
 * as long as the build's executor is open. The kernel drops the lock when the JVM dies, even by
 * {@code kill -9}, so a later build can tell stale mounts from live ones.
 *
 * <p>The lock lives beside the root, never inside it, so it never ends up in an image.
 */
public final class RootLock implements AutoCloseable {
  // POSIX record locks belong to the process: closing any channel on the file in this JVM
  // would drop them, so the JVM's own locks are remembered here and their files left alone.
  private static final Map<Path, RootLock> HELD = new ConcurrentHashMap<>();

  private final Path root;
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RootLock(Path root, Path file, FileChannel channel, FileLock lock) {
    this.root = root;
    this.file = file;
    this.channel = channel;
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
   * @throws ImageBuildException when another live build holds it
   */
  public static RootLock acquire(Path root) throws ImageBuildException {
    Path abs = root.toAbsolutePath().normalize();
    Path file = lockFileFor(abs);
    synchronized (HELD) {
      if (HELD.containsKey(abs)) {
        throw new ImageBuildException(
            "root " + abs + " is already in use by another executor of this JVM");
      }
      try {
        FileChannel ch =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS);
        FileLock l;
        try {
          l = ch.tryLock();
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
        if (l == null) {
          String owner = readOwner(ch);
          ch.close();
          throw new ImageBuildException(
              "root " + abs + " is in use by another build (pid " + owner + ", lock " + file + ")");
        }
        ch.truncate(0);
        ch.write(
            ByteBuffer.wrap(
                (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
            0);
        RootLock rl = new RootLock(abs, file, ch, l);
        HELD.put(abs, rl);
        return rl;
      } catch (IOException e) {
        throw new ImageBuildException("cannot lock root " + abs + " through " + file + ": " + e, e);
      }
    }
  }

  /**
   * Whether a live build (in this JVM or another process) owns {@code root}. A missing lock file
   * means no owner.
   */
  public static boolean isHeld(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    synchronized (HELD) {
      if (HELD.containsKey(abs)) {
        return true;
      }
      Path file = lockFileFor(abs);
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        FileLock l = ch.tryLock();
        if (l == null) {
          return true;
        }
        l.release();
        return false;
      } catch (NoSuchFileException e) {
        return false;
      } catch (OverlappingFileLockException e) {
        return true;
      } catch (IOException e) {
        // cannot tell: err on the side of leaving someone's mounts alone
        return true;
      }
    }
  }

  /** Whether a lock file exists for {@code root} (held or not). */
  public static boolean hasLockFile(Path root) {
    return Files.exists(lockFileFor(root), LinkOption.NOFOLLOW_LINKS);
  }

  private static String readOwner(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      ch.read(b, 0);
      return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  public Path root() {
    return root;
  }

  /** Releases the lock and removes the lock file. Safe to call more than once. */
  @Override
  public void close() {
    synchronized (HELD) {
      if (HELD.remove(root, this)) {
        try {
          Files.deleteIfExists(file);
          lock.release();
          channel.close();
        } catch (IOException e) {
          // the kernel drops the lock with the channel anyway
        }
      }
    }
  }
}
