package io.imagebuilder.console.farm;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link FarmDispatcher#sweep()} and {@link ProgressPublisher#retry()} on a timer of its own;
 * a failed pass is logged, never fatal.
 */
public final class FarmSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FarmSweeper.class);

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "farm-sweeper");
            t.setDaemon(true);
            return t;
          });

  public FarmSweeper(FarmDispatcher dispatcher, ProgressPublisher progress, Duration every) {
    long millis = Math.max(1000, every.toMillis());
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            progress.retry();
            dispatcher.sweep();
          } catch (RuntimeException e) {
            LOG.warn("a sweep of the farm's builds failed: {}", e.toString());
          }
        },
        1000,
        millis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
