package io.imagebuilder.rootfs.internal.repo;

/** Receives download progress; must be fast and thread-safe. */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that ignores everything. */
  ProgressListener NONE = (label, done, total) -> {};

  /**
   * @param label what is being fetched, e.g. {@code debian main/binary-amd64/Packages.xz}
   * @param bytesDone bytes received so far
   * @param bytesTotal the expected total, or -1 when unknown
   */
  void progress(String label, long bytesDone, long bytesTotal);
}
