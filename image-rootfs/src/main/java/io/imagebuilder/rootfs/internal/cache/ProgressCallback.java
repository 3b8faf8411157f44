package io.imagebuilder.rootfs.internal.cache;

/**
 * Receives download progress in bytes. Called from download threads, so implementations must be
 * thread-safe and fast; calls are serialised by the caller and {@code done} never decreases.
 */
@FunctionalInterface
public interface ProgressCallback {
  /** A callback that ignores progress. */
  ProgressCallback NONE = (done, total) -> {};

  /**
   * @param done bytes fetched or found in the cache so far
   * @param total bytes of all requested files ({@code -1} if a size was unknown); {@code done ==
   *     total} marks the end
   */
  void progress(long done, long total);
}
