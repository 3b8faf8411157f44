package io.imagebuilder.internal.concurrent;

import io.imagebuilder.internal.log.Logs;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * A few daemon threads that run a build's parallel work (downloads, decoding, repacking), and that
 * stop with it: {@link #close} interrupts what still runs and waits for it, also when the calling
 * thread is interrupted (a cancel), so no task writes into a directory the caller deletes next.
 */
public final class TaskPool implements AutoCloseable {
  private static final Logger LOG = Logs.get(TaskPool.class);

  private final ExecutorService pool;
  private final String name;
  private final Duration stopWait;

  private TaskPool(String name, int threads, Duration stopWait) {
    if (threads < 1) {
      throw new IllegalArgumentException("invalid threads " + threads + " (expected >= 1)");
    }
    this.name = name;
    this.stopWait = stopWait;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A pool of {@code threads} threads named after {@code name}, whose {@link #close} waits up to
   * {@code stopWait} for interrupted tasks to end (then logs that some still run).
   */
  public static TaskPool of(String name, int threads, Duration stopWait) {
    return new TaskPool(name, threads, stopWait);
  }

  /** One thread per core, at most {@code tasks} (at least one). */
  public static int threadsFor(int tasks) {
    return Math.max(1, Math.min(tasks, Runtime.getRuntime().availableProcessors()));
  }

  public <T> Future<T> submit(Callable<T> task) {
    return pool.submit(task);
  }

  /** The underlying executor, for a completion service. */
  public ExecutorService executor() {
    return pool;
  }

  /** Interrupts the tasks still running and waits for them; keeps the caller's interrupt. */
  @Override
  public void close() {
    pool.shutdownNow();
    boolean interrupted = Thread.interrupted();
    try {
      if (!pool.awaitTermination(stopWait.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "{} tasks still running {} s after they were told to stop", name, stopWait.toSeconds());
      }
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
