package io.imagebuilder.api.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Runs commands as the target system, inside one root directory: natively in a chroot, through
 * qemu-user emulation, or in a VM. One executor serves one build's root; {@link #close()} undoes
 * everything it set up (mounts, helper processes), also after a failure.
 *
 * <p>Implementations come from the image-arm module through {@link ExecutorProvider}.
 */
public interface Executor extends AutoCloseable {
  /** {@return the strategy's name, e.g. {@code native} or {@code qemu-user}} */
  String name();

  /** {@return the root directory commands run in} */
  Path root();

  /** {@return the architecture whose binaries this executor runs} */
  Architecture architecture();

  /**
   * Checks, before any work, that this host can run the target's binaries this way. A failure names
   * the Debian package to install and the command that fixes it.
   *
   * @throws ImageBuildException naming what is missing and the fix
   */
  void preflight() throws ImageBuildException;

  /**
   * Runs {@code command} inside the root with a controlled environment and closed stdin, streaming
   * each output line to {@code output}. A non-zero exit is returned, not thrown; a timeout kills
   * the process tree and is thrown as a {@link io.imagebuilder.api.error.CommandFailedException}.
   *
   * @param command the argv, environment and timeout
   * @param output receives each line the command prints
   * @return the exit code, the last lines of output and the duration
   * @throws ImageBuildException if the command cannot be started or times out
   * @throws InterruptedException if the thread is interrupted; the process tree is killed first
   */
  CommandResult run(Command command, Consumer<String> output)
      throws ImageBuildException, InterruptedException;

  /**
   * Ends leftover processes, undoes mounts and removes whatever the executor placed in the root
   * (such as a policy-rc.d), so the root can be read as a plain directory tree, e.g. to clean it up
   * and pack it. The next {@link #run} sets everything up again.
   *
   * @throws ImageBuildException if something set up cannot be undone
   */
  void release() throws ImageBuildException;

  /** Releases the root for good; {@link #run} fails afterwards. Safe to call more than once. */
  @Override
  void close() throws ImageBuildException;
}
