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

  /**
   * Whether this strategy can run {@code target} binaries on a {@code host} machine at all. Only
   * the pair is judged; whether this host is set up for it is checked when the executor opens.
   *
   * @param target the image's architecture
   * @param host the architecture of the machine the build runs on
   * @return true when the strategy handles the pair
   */
  boolean supports(Architecture target, Architecture host);

  /** {@return when several strategies support a pair, {@code auto} takes the lowest preference} */
  int preference();

  /**
   * An executor for {@code root}; nothing is mounted or started before the first command.
   *
   * @param root the target's root filesystem directory on the host
   * @param target the architecture of the binaries it will run
   * @return a new executor, closed by the engine when the build ends
   */
  Executor open(Path root, Architecture target);

  /**
   * Removes what builds killed before their cleanup (say by {@code kill -9}) left under {@code
   * workParent}, the directory that holds only build work directories: mounts, processes, locks.
   * Live builds, in this JVM or others, are left alone. Called before a build starts.
   *
   * @param workParent the directory that holds the build work directories
   * @throws io.imagebuilder.api.error.ImageBuildException when something stale cannot be removed
   */
  default void cleanStale(Path workParent) throws io.imagebuilder.api.error.ImageBuildException {}
}
