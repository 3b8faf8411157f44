package io.imagebuilder.testing.internal;

import io.imagebuilder.internal.io.DirectoryLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Takes a {@link DirectoryLock}, waiting while another JVM or thread holds it. */
final class WaitingLock {
  private static final long POLL_MILLIS = 200;

  private WaitingLock() {}

  /**
   * The lock of {@code file} (created if missing), once its holder lets go.
   *
   * @throws IOException when it is still held after {@code timeout}, naming the holder
   */
  static DirectoryLock acquire(Path file, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<DirectoryLock> lock = DirectoryLock.tryAcquire(file);
      if (lock.isPresent()) {
        return lock.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException(
            "the lock "
                + file
                + " is still held by "
                + DirectoryLock.owner(file)
                + " after "
                + timeout
                + " (expected its holder to finish; "
                + FixtureSettings.LOCK_TIMEOUT
                + " waits longer)");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
