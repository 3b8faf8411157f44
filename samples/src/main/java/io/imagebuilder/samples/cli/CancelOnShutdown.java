package io.imagebuilder.samples.cli;

import io.imagebuilder.api.stage.Cancellation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Cancels a running build when the JVM is asked to stop (Ctrl-C, SIGTERM) and holds the shutdown
 * until the build has run its cleanups, so an interrupted build leaves no mounts or processes
 * behind. Close it when the build ends.
 */
final class CancelOnShutdown implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(120);

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private CancelOnShutdown(Cancellation cancellation) {
    this.hook =
        new Thread(
            () -> {
              cancellation.cancel();
              try {
                finished.await(GRACE.toSeconds(), TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "imagebuilder-cancel-on-shutdown");
  }

  static CancelOnShutdown install(Cancellation cancellation) {
    CancelOnShutdown c = new CancelOnShutdown(cancellation);
    Runtime.getRuntime().addShutdownHook(c.hook);
    return c;
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running; the latch above lets it finish
    }
  }
}
