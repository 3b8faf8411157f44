package io.imagebuilder.console.build;

/**
 * Hands queued builds to whatever runs them. The embedded default is {@link LocalBuildQueue}
 * (threads of this JVM); the farm's puts each job on its architecture's RabbitMQ queue for workers.
 */
public interface BuildQueue {
  /**
   * Queues a build.
   *
   * @param build the build, as stored
   * @param runHere runs it in this JVM; a queue that hands jobs to workers does not call it
   */
  void submit(BuildView build, Runnable runHere);

  /**
   * Whether queued jobs outlive the console (a durable message queue), so that a restarted console
   * must not queue them again.
   */
  default boolean keepsJobs() {
    return false;
  }

  /** Stops taking jobs and interrupts the running ones. */
  void shutdown();
}
