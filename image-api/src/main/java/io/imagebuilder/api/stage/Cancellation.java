package io.imagebuilder.api.stage;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cancel handle: {@link #cancel()} from any thread stops the build it was given to. The build
 * thread is interrupted, the running command killed, every started stage's cleanup run, and the
 * build ends with a {@link io.imagebuilder.api.error.BuildCancelledException}. Cancelling is final:
 * a cancelled handle stops every build it is given to at once.
 */
public final class Cancellation {
  /** Stops a {@link #onCancel} action from being called. */
  public interface Subscription extends AutoCloseable {
    /** The action is not called after this returns. */
    @Override
    void close();
  }

  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final CopyOnWriteArrayList<Runnable> actions = new CopyOnWriteArrayList<>();

  /** A handle that is not cancelled yet. */
  public Cancellation() {}

  /** Cancels: every registered action runs, on this thread. Later calls do nothing. */
  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      for (Runnable action : actions) {
        if (actions.remove(action)) { // whoever removes an action runs it: exactly once
          action.run();
        }
      }
    }
  }

  /**
   * Whether {@link #cancel()} was called.
   *
   * @return true once cancelled; it stays true
   */
  public boolean isCancelled() {
    return cancelled.get();
  }

  /**
   * Runs {@code action} when this is cancelled, or at once if it is already; until the returned
   * subscription is closed. Actions must be fast and must not throw.
   *
   * @param action what to run on cancellation, on the cancelling thread
   * @return a subscription; closing it removes the action
   */
  public Subscription onCancel(Runnable action) {
    actions.add(action);
    if (cancelled.get() && actions.remove(action)) {
      action.run();
    }
    return () -> actions.remove(action);
  }
}
