package io.imagebuilder.api.stage;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A cancel handle: {@link #cancel()} from any thread stops the build it was given to. The build
 * thread is interrupted, the running command killed, every started stage's cleanup run, and the
 * build ends with a {@link io.imagebuilder.api.error.BuildCancelledException}.
 */
public final class Cancellation {
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicReference<Thread> buildThread = new AtomicReference<>();

  public void cancel() {
    cancelled.set(true);
    Thread t = buildThread.get();
    if (t != null) {
      t.interrupt();
    }
  }

  public boolean isCancelled() {
    return cancelled.get();
  }

  /** Called by the engine: the thread to interrupt on cancel, or null when the build ended. */
  public void attach(Thread thread) {
    buildThread.set(thread);
    if (thread != null && cancelled.get()) {
      thread.interrupt();
    }
  }
}
