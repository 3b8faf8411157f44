package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.mount.RootLock;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What every executor that enters a chroot of the target root shares: the strategy's preflight,
 * checking a command before anything is set up, resolving and locking the root, the policy-rc.d and
 * running one command at a time. Subclasses say how the root is made ready ({@link #prepare}), how
 * a command enters it ({@link #execute}) and how it is undone ({@link #tearDown}).
 */
abstract class TargetRootExecutor implements Executor {
  /**
   * The strategy-specific part: what to check before any work and what to add to the environment.
   */
  interface Strategy {
    /** Checks the host; returns the variables the strategy adds to every command's environment. */
    Map<String, String> preflight(Architecture target, Path root) throws ImageBuildException;
  }

  private final String name;
  private final Path root;
  private final Architecture architecture;
  private final Strategy strategy;
  private final ReentrantLock lock = new ReentrantLock();

  private Map<String, String> strategyEnv;
  private Path realRoot;
  private RootLock rootLock;
  private PolicyRcD policy;
  private ProcessTreeRunner runner;
  private boolean closed;

  TargetRootExecutor(String name, Path root, Architecture architecture, Strategy strategy) {
    this.name = name;
    this.root = root.toAbsolutePath().normalize();
    this.architecture = architecture;
    this.strategy = strategy;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Path root() {
    return root;
  }

  @Override
  public final Architecture architecture() {
    return architecture;
  }

  @Override
  public final void preflight() throws ImageBuildException {
    lock.lock();
    try {
      strategyEnv = Map.copyOf(strategy.preflight(architecture, root));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public final CommandResult run(Command command, Consumer<String> output)
      throws ImageBuildException, InterruptedException {
    lock.lockInterruptibly();
    try {
      if (closed) {
        throw new IllegalStateException("executor for " + root + " is closed");
      }
      // build the environment first: a bad variable is the caller's mistake, before any mount
      Map<String, String> env =
          CommandEnvironment.build(
              strategyEnv == null ? Map.of() : strategyEnv, command.environment());
      if (strategyEnv == null) {
        preflight();
        env = CommandEnvironment.build(strategyEnv, command.environment());
      }
      for (String arg : command.argv()) {
        if (arg.indexOf('\0') >= 0) {
          throw new IllegalArgumentException(
              "invalid argument in " + command.argv() + " (NUL byte)");
        }
      }
      setUp();
      return execute(command, env, output);
    } finally {
      lock.unlock();
    }
  }

  private void setUp() throws ImageBuildException {
    if (!ready()) {
      if (realRoot == null) {
        realRoot = resolveRoot();
        runner = new ProcessTreeRunner(HostTools.require("setsid", "util-linux"));
      }
      if (rootLock == null) {
        rootLock = RootLock.acquire(realRoot);
      }
      try {
        prepare(realRoot);
      } catch (ImageBuildException | RuntimeException e) {
        rootLock.close();
        rootLock = null;
        throw e;
      }
      policy = new PolicyRcD(realRoot);
    }
    try {
      // retried before each command: /usr/sbin appears only once the root is unpacked
      policy.place();
    } catch (IOException e) {
      throw new ImageBuildException("cannot place " + policy.file() + ": " + e, e);
    }
  }

  private Path resolveRoot() throws ImageBuildException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new ImageBuildException("the target root " + root + " is not a directory");
    }
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      throw new ImageBuildException("cannot resolve the target root " + root + ": " + e, e);
    }
    if (real.getNameCount() == 0) {
      throw new IllegalArgumentException(
          "invalid root '" + root + "' (expected a directory other than /)");
    }
    return real;
  }

  /** {@return whether the root is ready for commands: {@link #prepare} ran and nothing undid it} */
  abstract boolean ready();

  /**
   * Makes the locked root ready for commands (mounts, a sandbox); leaves nothing behind if it
   * fails.
   */
  abstract void prepare(Path realRoot) throws ImageBuildException;

  /** Runs a checked command in the prepared root with its final environment. */
  abstract CommandResult execute(Command command, Map<String, String> env, Consumer<String> output)
      throws ImageBuildException, InterruptedException;

  /**
   * Ends what {@link #prepare} made (processes, mounts); returns a failure to undo a mount, in
   * which case the root stays locked.
   */
  abstract ImageBuildException tearDown();

  /** The resolved root, once a command has run. */
  final Path realRoot() {
    return realRoot;
  }

  final ProcessTreeRunner runner() {
    return runner;
  }

  @Override
  public final void release() throws ImageBuildException {
    lock.lock();
    try {
      if (!closed) {
        ImageBuildException failure = undo();
        if (failure != null) {
          throw failure;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public final void close() throws ImageBuildException {
    // not interruptible and not waiting for a running command: close must always finish
    closed = true;
    ImageBuildException failure = undo();
    if (failure != null) {
      throw failure;
    }
    if (rootLock != null) {
      rootLock.close();
      rootLock = null;
    }
  }

  private ImageBuildException undo() {
    ImageBuildException failure = tearDown();
    if (policy != null) {
      policy.remove();
      policy = null;
    }
    return failure;
  }
}
