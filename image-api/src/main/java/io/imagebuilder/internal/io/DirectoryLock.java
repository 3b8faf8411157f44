package io.imagebuilder.internal.io;

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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lock file that says a live build owns something (an output directory, a work directory): the
 * file is locked with {@link FileChannel#tryLock()} for as long as the owner runs and holds the
 * owner's pid. The kernel drops the lock when the JVM dies, even by {@code kill -9}, so a later
 * build can tell a dead owner's leftovers from a live build's files.
 *
 * <p>POSIX record locks belong to the process, and closing any channel of the file in this JVM
 * would drop them: the locks this JVM holds are remembered here, and their files are never opened a
 * second time.
 */
public final class DirectoryLock implements AutoCloseable {
  private static final Map<Path, DirectoryLock> HELD = new ConcurrentHashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code lockFile}, creating the file if missing. The file must be one that is
   * never deleted while builds may use it (say an output directory's lock).
   *
   * @return the lock, or empty when a live build (in this JVM or another) holds it
   */
  public static Optional<DirectoryLock> tryAcquire(Path lockFile) throws IOException {
    Path abs = lockFile.toAbsolutePath().normalize();
    synchronized (HELD) {
      if (HELD.containsKey(abs)) {
        return Optional.empty();
      }
      FileChannel ch =
          FileChannel.open(
              abs,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
      DirectoryLock held = lock(abs, ch);
      if (held != null) {
        HELD.put(abs, held);
      }
      return Optional.ofNullable(held);
    }
  }

  /**
   * Creates {@code lockFile}, which must not exist, already locked: it is made and locked under a
   * temporary name and renamed into place, so no one ever sees it unlocked while its owner lives.
   * For lock files that their holder deletes ({@link #releaseAndDelete()}).
   */
  public static DirectoryLock create(Path lockFile) throws IOException {
    Path abs = lockFile.toAbsolutePath().normalize();
    synchronized (HELD) {
      if (HELD.containsKey(abs)) {
        throw new java.nio.file.FileAlreadyExistsException(abs.toString());
      }
      Path temp = AtomicFiles.createTemporary(abs);
      try {
        FileChannel ch =
            FileChannel.open(
                temp, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        DirectoryLock held = lock(abs, ch);
        if (held == null) {
          throw new IOException("cannot lock the new file " + temp);
        }
        try {
          // A link fails if the name exists, unlike a move, which would replace it.
          Files.createLink(abs, temp);
        } catch (IOException e) {
          held.lock.release();
          held.channel.close();
          throw e;
        }
        HELD.put(abs, held);
        return held;
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Locks {@code ch} for the file {@code abs}; null (and ch closed) if it is held. */
  private static DirectoryLock lock(Path abs, FileChannel ch) throws IOException {
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (l == null) {
      ch.close();
      return null;
    }
    ch.truncate(0);
    ch.write(
        ByteBuffer.wrap(
            ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
        0);
    return new DirectoryLock(abs, ch, l);
  }

  /** Whether a live build holds {@code lockFile}; a missing file means no one does. */
  public static boolean isHeld(Path lockFile) {
    Path abs = lockFile.toAbsolutePath().normalize();
    synchronized (HELD) {
      if (HELD.containsKey(abs)) {
        return true;
      }
      try (FileChannel ch =
          FileChannel.open(abs, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        FileLock l = ch.tryLock();
        if (l == null) {
          return true;
        }
        l.release();
        return false;
      } catch (NoSuchFileException e) {
        return false;
      } catch (OverlappingFileLockException | IOException e) {
        return true; // cannot tell: leave it to its owner
      }
    }
  }

  /** What the holder wrote into {@code lockFile} ({@code pid 1234}), or "an unknown process". */
  public static String owner(Path lockFile) {
    if (HELD.containsKey(lockFile.toAbsolutePath().normalize())) {
      return "this process (pid " + ProcessHandle.current().pid() + ")";
    }
    try {
      String first =
          Files.readString(lockFile, StandardCharsets.US_ASCII).lines().findFirst().orElse("");
      return first.matches("pid [0-9]+") ? "process " + first.substring(4) : "an unknown process";
    } catch (IOException e) {
      return "an unknown process";
    }
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Releases the lock; the file stays. Safe to call more than once. */
  @Override
  public void close() {
    release(false);
  }

  /** Deletes the lock file, then releases the lock. Safe to call more than once. */
  public void releaseAndDelete() {
    release(true);
  }

  private void release(boolean delete) {
    synchronized (HELD) {
      if (!HELD.remove(file, this)) {
        return;
      }
      try {
        if (delete) {
          Files.deleteIfExists(file);
        }
      } catch (IOException e) {
        // an empty lock file left behind is harmless
      } finally {
        try {
          lock.release();
          channel.close();
        } catch (IOException e) {
          // the kernel drops the lock with the channel
        }
      }
    }
  }
}
