package io.imagebuilder.api;

import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.stage.Cancellation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A build started with {@link ImageBuilder#start}: its result to come, a way to cancel it, and the
 * stages it has completed so far.
 *
 * <pre>{@code
 * BuildHandle handle = builder.start(RunConfiguration.into(out));
 * try {
 *   BuildResult result = handle.await(Duration.ofMinutes(20));
 * } catch (TimeoutException e) {
 *   handle.cancel(); // cleanup runs; handle.result() then fails with BuildCancelledException
 * }
 * }</pre>
 */
public final class BuildHandle {
  private final CompletableFuture<BuildResult> result = new CompletableFuture<>();
  private final Cancellation cancellation;
  private final List<CompletedStage> completed = new CopyOnWriteArrayList<>();

  BuildHandle(Cancellation cancellation) {
    this.cancellation = cancellation;
  }

  /**
   * The result: completes normally with the build's result, or exceptionally with the {@link
   * ImageBuildException} (or {@link IllegalArgumentException}) the blocking build would have
   * thrown. Cancelling this future does not stop the build: use {@link #cancel()}.
   *
   * @return the future of the result
   */
  public CompletableFuture<BuildResult> result() {
    return result.copy();
  }

  /**
   * Waits for the build and returns its result, or throws what it threw.
   *
   * @throws InterruptedException if this thread is interrupted while waiting (the build goes on)
   * @return the build's result
   * @throws ImageBuildException what the build threw, as {@link
   *     ImageBuilder#build(RunConfiguration)} would
   */
  public BuildResult await() throws ImageBuildException, InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /**
   * Waits at most {@code timeout} for the build.
   *
   * @throws TimeoutException if it has not ended by then (it goes on: {@link #cancel()} stops it)
   * @param timeout the longest to wait; positive
   * @return the build's result
   * @throws ImageBuildException what the build threw
   * @throws InterruptedException if this thread is interrupted while waiting (the build goes on)
   */
  public BuildResult await(Duration timeout)
      throws ImageBuildException, InterruptedException, TimeoutException {
    try {
      return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /**
   * Stops the build: the running command is killed, every started stage's cleanup runs, and the
   * result fails with a {@link BuildCancelledException}. Returns at once.
   */
  public void cancel() {
    cancellation.cancel();
  }

  /**
   * Whether the build has ended, one way or another.
   *
   * @return true once it succeeded, failed or was cancelled
   */
  public boolean isDone() {
    return result.isDone();
  }

  /**
   * The stages completed so far, in the order they ran.
   *
   * @return an unmodifiable snapshot, in order
   */
  public List<CompletedStage> completedStages() {
    return List.copyOf(completed);
  }

  void stageCompleted(CompletedStage stage) {
    completed.add(stage);
  }

  void complete(BuildResult value) {
    result.complete(value);
  }

  void fail(Throwable error) {
    result.completeExceptionally(error);
  }

  private static ImageBuildException unwrap(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof ImageBuildException ibe) {
      return ibe;
    }
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    if (cause instanceof CancellationException ce) {
      return new BuildCancelledException("build cancelled", ce);
    }
    return new ImageBuildException("build failed: " + cause, cause);
  }
}
