package io.imagebuilder.console.build;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs builds on a fixed number of threads of this JVM, in the order they were queued. */
public final class LocalBuildQueue implements BuildQueue {
  private final ExecutorService slots;

  public LocalBuildQueue(int slots) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory named =
        r -> {
          Thread t = new Thread(r, "build-slot-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.slots = Executors.newFixedThreadPool(slots, named);
  }

  @Override
  public void submit(BuildView build, Runnable runHere) {
    slots.execute(runHere);
  }

  @Override
  public void shutdown() {
    slots.shutdownNow();
  }
}
