package io.imagebuilder.console.build;

/**
 * Hands queued builds to whatever runs them. The embedded default is {@link LocalBuildQueue}
 * (threads of this JVM); a farm puts jobs on a message queue for workers.
 */
public interface BuildQueue {
  /** Queues a job; it runs when a slot is free. */
  void submit(Runnable job);

  /** Stops taking jobs and interrupts the running ones. */
  void shutdown();
}
