package io.imagebuilder.console.worker;

import io.imagebuilder.console.build.StageTracker;
import io.imagebuilder.console.build.StageView;
import io.imagebuilder.console.farm.WorkerReports;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a running build's log lines and stages to the console once a second (a build prints
 * thousands of lines; one call each would be too many), and once more at the end. When nothing is
 * new it still reports every few seconds: that is the worker's heartbeat, without which the console
 * queues the build again. Lines the console did not get (it is restarting) are sent with the next
 * report. Thread-safe: the library's events arrive on its threads.
 */
final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(3);

  private final ConsoleClient console;
  private final String buildId;
  private final Runnable onRefused;
  final StageTracker stages = new StageTracker();
  private final List<String> pending = new ArrayList<>();
  private List<StageView> sentStages = List.of();
  private long lastSent = System.nanoTime();
  private boolean failing;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "progress-reporter");
            t.setDaemon(true);
            return t;
          });

  /** {@code onRefused} runs when the console takes no more reports (the build was cancelled). */
  ProgressReporter(ConsoleClient console, String buildId, Runnable onRefused) {
    this.console = console;
    this.buildId = buildId;
    this.onRefused = onRefused;
    timer.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
  }

  synchronized void line(String text) {
    pending.add(text);
  }

  private void flushQuietly() {
    try {
      flush();
      if (failing) {
        LOG.info("reporting progress of build {} again", buildId);
        failing = false;
      }
    } catch (Exception e) {
      if (!failing) { // once per outage: the console may be away for a while
        LOG.warn("cannot report progress of build {} (trying on): {}", buildId, e.toString());
        failing = true;
      }
    }
  }

  /** Sends what is new. */
  synchronized void flush() throws java.io.IOException, InterruptedException {
    List<StageView> now = stages.snapshot();
    if (pending.isEmpty()
        && now.equals(sentStages)
        && System.nanoTime() - lastSent < HEARTBEAT_NANOS) {
      return;
    }
    boolean taken = console.progress(buildId, new WorkerReports.Progress(pending, now));
    pending.clear();
    sentStages = now;
    lastSent = System.nanoTime();
    if (!taken) {
      onRefused.run();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
