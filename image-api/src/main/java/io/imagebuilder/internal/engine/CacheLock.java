package io.imagebuilder.internal.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cache directory's lock ({@code <cache>/.lock}): builds hold it shared while they run, the
 * collector exclusively, so no entry is evicted under a running build in any JVM. A JVM holds one
 * OS lock per cache however many of its builds share it (Java's file locks belong to the whole JVM
 * and may not overlap), counted here.
 */
public final class CacheLock implements AutoCloseable {
  /** The lock this JVM holds on each cache, and for how many holders. */
  private static final Map<Path, Held> HELD = new HashMap<>();

  private static final class Held {
    final FileChannel channel;
    final FileLock lock;
    final boolean shared;
    int holders;

    Held(FileChannel channel, FileLock lock, boolean shared) {
      this.channel = channel;
      this.lock = lock;
      this.shared = shared;
    }
  }

  private final Path key;
  private boolean closed;

  private CacheLock(Path key) {
    this.key = key;
  }

  /** Waits for the shared lock: a build may run once no collection is going on. */
  public static CacheLock shared(Path cacheDir) throws IOException {
    Path key = cacheDir.toAbsolutePath().normalize();
    synchronized (HELD) {
      Held held = HELD.get(key);
      if (held == null || !held.shared) {
        // Waiting while holding HELD keeps other builds of this JVM from racing the same lock.
        FileChannel channel = open(key);
        try {
          held = new Held(channel, channel.lock(0, Long.MAX_VALUE, true), true);
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
        HELD.put(key, held);
      }
      held.holders++;
      return new CacheLock(key);
    }
  }

  /** The exclusive lock if no build (of this JVM or another) holds the cache now; else empty. */
  public static Optional<CacheLock> tryExclusive(Path cacheDir) throws IOException {
    Path key = cacheDir.toAbsolutePath().normalize();
    synchronized (HELD) {
      if (HELD.containsKey(key)) {
        return Optional.empty();
      }
      FileChannel channel = open(key);
      FileLock lock;
      try {
        lock = channel.tryLock(0, Long.MAX_VALUE, false);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      Held held = new Held(channel, lock, false);
      held.holders = 1;
      HELD.put(key, held);
      return Optional.of(new CacheLock(key));
    }
  }

  private static FileChannel open(Path cacheDir) throws IOException {
    Files.createDirectories(cacheDir);
    return FileChannel.open(
        cacheDir.resolve(".lock"),
        StandardOpenOption.CREATE,
        StandardOpenOption.READ,
        StandardOpenOption.WRITE); // a shared lock needs a readable channel
  }

  @Override
  public void close() throws IOException {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      Held held = HELD.get(key);
      if (held != null && --held.holders == 0) {
        HELD.remove(key);
        try {
          held.lock.release();
        } finally {
          held.channel.close();
        }
      }
    }
  }
}
