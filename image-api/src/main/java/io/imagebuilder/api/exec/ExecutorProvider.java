package io.imagebuilder.api.exec;

import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Path;

/**
 * A way of running target binaries, found with {@link java.util.ServiceLoader}. Register an
 * implementation in {@code META-INF/services/io.imagebuilder.api.exec.ExecutorProvider}.
 */
public interface ExecutorProvider {
  /** {@return a stable name such as {@code native} or {@code qemu-user}} */
  String name();

  /** Whether this strategy can run {@code target} binaries on a {@code host} machine at all. */
  boolean supports(Architecture target, Architecture host);

  /** {@return when several strategies support a pair, {@code auto} takes the lowest preference} */
  int preference();

  /** An executor for {@code root}; nothing is mounted or started before the first command. */
  Executor open(Path root, Architecture target);

  /**
   * Removes what builds killed before their cleanup (say by {@code kill -9}) left under {@code
   * workParent}, the directory that holds only build work directories: mounts, processes, locks.
   * Live builds, in this JVM or others, are left alone. Called before a build starts.
   */
  default void cleanStale(Path workParent) throws io.imagebuilder.api.error.ImageBuildException {}
}
