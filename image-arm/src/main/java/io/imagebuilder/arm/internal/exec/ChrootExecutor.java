package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.mount.ChrootMounts;
import io.imagebuilder.arm.internal.mount.ProcessesInRoot;
import io.imagebuilder.arm.internal.mount.RootLock;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs commands in a chroot of the target root, natively or through qemu-user (the kernel picks the
 * interpreter through binfmt_misc, so both strategies run the same way and differ only in their
 * preflight and environment).
 *
 * <p>Before the first command it locks the root ({@link RootLock}), mounts the kernel filesystems
 * ({@link ChrootMounts}) and places a policy-rc.d; {@link #close()} undoes all of it. Commands run
 * one at a time.
 */
final class ChrootExecutor implements Executor {
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
  private final boolean helpersAllowed;
  private final ReentrantLock lock = new ReentrantLock();

  private Map<String, String> strategyEnv;
  private Path realRoot;
  private RootLock rootLock;
  private ChrootMounts mounts;
  private PolicyRcD policy;
  private ProcessTreeRunner runner;

  /** Prepared on the first command that allows them, for as long as the mounts stay up. */
  private Optional<NativeHelpers> helpers;

  private boolean closed;

  /**
   * @param helpersAllowed whether commands that allow it may run with {@link NativeHelpers}: only
   *     worth it when the target's binaries are emulated
   */
  ChrootExecutor(
      String name,
      Path root,
      Architecture architecture,
      Strategy strategy,
      boolean helpersAllowed) {
    this.name = name;
    this.root = root.toAbsolutePath().normalize();
    this.architecture = architecture;
    this.strategy = strategy;
    this.helpersAllowed = helpersAllowed;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public Architecture architecture() {
    return architecture;
  }

  @Override
  public void preflight() throws ImageBuildException {
    lock.lock();
    try {
      strategyEnv = Map.copyOf(strategy.preflight(architecture, root));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CommandResult run(Command command, Consumer<String> output)
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
      NativeHelpers active = command.nativeHelpers() ? helpers().orElse(null) : null;
      List<String> argv = hostArgv(realRoot, command);
      if (active == null) {
        return runner.run(argv, env, command.timeout(), command.argv(), output, realRoot);
      }
      env = CommandEnvironment.build(env, NativeHelpers.environment());
      // ctime has whole-second precision on some filesystems: start a second early
      FileTime start = FileTime.fromMillis(System.currentTimeMillis() - 1000);
      active.bind(mounts);
      CommandResult result;
      try {
        result = runner.run(argv, env, command.timeout(), command.argv(), output, realRoot);
      } catch (ImageBuildException | InterruptedException | RuntimeException e) {
        try {
          active.unbind(mounts);
        } catch (ImageBuildException u) {
          e.addSuppressed(u);
        }
        throw e;
      }
      active.unbind(mounts);
      active.checkNoHostCopies(realRoot, start);
      return result;
    } finally {
      lock.unlock();
    }
  }

  private Optional<NativeHelpers> helpers() {
    if (helpers == null) {
      helpers = helpersAllowed ? NativeHelpers.prepare(realRoot) : Optional.empty();
    }
    return helpers;
  }

  /** The host argv that enters the root and runs {@code command} there. */
  static List<String> hostArgv(Path root, Command command) throws ImageBuildException {
    List<String> argv = new ArrayList<>();
    if (command.workingDirectory().equals("/")) {
      argv.add(HostTools.require("chroot", "coreutils"));
      argv.add(root.toString());
    } else {
      // chroot always changes to /; unshare (no namespaces asked for) can chroot and chdir
      argv.add(HostTools.require("unshare", "util-linux"));
      argv.add("--root=" + root);
      argv.add("--wd=" + command.workingDirectory());
    }
    argv.addAll(command.argv());
    return argv;
  }

  private void setUp() throws ImageBuildException {
    if (mounts == null) {
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new ImageBuildException("the target root " + root + " is not a directory");
      }
      try {
        realRoot = root.toRealPath();
      } catch (IOException e) {
        throw new ImageBuildException("cannot resolve the target root " + root + ": " + e, e);
      }
      if (realRoot.getNameCount() == 0) {
        throw new IllegalArgumentException(
            "invalid root '" + root + "' (expected a directory other than /)");
      }
      runner = new ProcessTreeRunner(HostTools.require("setsid", "util-linux"));
      if (rootLock == null) {
        rootLock = RootLock.acquire(realRoot);
      }
      mounts = new ChrootMounts(realRoot);
      policy = new PolicyRcD(realRoot);
      try {
        mounts.setUp();
      } catch (ImageBuildException | RuntimeException e) {
        rootLock.close();
        rootLock = null;
        mounts = null;
        throw e;
      }
    }
    try {
      // retried before each command: /usr/sbin appears only once the root is unpacked
      policy.place();
    } catch (IOException e) {
      throw new ImageBuildException("cannot place " + policy.file() + ": " + e, e);
    }
  }

  @Override
  public void release() throws ImageBuildException {
    lock.lock();
    try {
      if (!closed) {
        tearDown();
        mounts = null;
        policy = null;
        helpers = null;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws ImageBuildException {
    // not interruptible and not waiting for a running command: close must always finish
    closed = true;
    ImageBuildException failure = tearDown();
    if (rootLock != null && failure == null) {
      rootLock.close();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Ends processes in the root, removes the policy, unmounts; returns a failure to unmount. */
  private ImageBuildException tearDown() {
    ImageBuildException failure = null;
    if (realRoot != null) {
      ProcessesInRoot.killAll(realRoot);
    }
    if (policy != null) {
      policy.remove();
    }
    if (mounts != null) {
      try {
        mounts.tearDown();
      } catch (ImageBuildException e) {
        failure = e;
      }
    }
    return failure;
  }
}
