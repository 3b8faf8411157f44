package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.mount.RootLock;
import io.imagebuilder.arm.internal.sandbox.Sandbox;
import io.imagebuilder.arm.internal.sandbox.SandboxMounts;
import io.imagebuilder.internal.process.HostTools;
import io.imagebuilder.internal.userns.IdMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs commands in a chroot of the target root inside a {@link Sandbox} (user, mount, PID, IPC and
 * UTS namespaces), as the namespace's root: no privilege on the host. The sandbox and its mounts
 * are made before the first command and ended by {@link #release()} and {@link #close()} (the next
 * command makes a new one), so no process of one stage outlives it.
 */
final class RootlessExecutor implements Executor {
  private final String name;
  private final Path root;
  private final Architecture architecture;
  private final ChrootExecutor.Strategy strategy;
  private final ReentrantLock lock = new ReentrantLock();

  private Map<String, String> strategyEnv;
  private Path realRoot;
  private RootLock rootLock;
  private Sandbox sandbox;
  private PolicyRcD policy;
  private ProcessTreeRunner runner;
  private boolean closed;

  RootlessExecutor(
      String name, Path root, Architecture architecture, ChrootExecutor.Strategy strategy) {
    this.name = name;
    this.root = root.toAbsolutePath().normalize();
    this.architecture = architecture;
    this.strategy = strategy;
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
      List<String> argv = new ArrayList<>(sandbox.enter());
      argv.addAll(ChrootExecutor.hostArgv(realRoot, command));
      return runner.run(argv, env, command.timeout(), command.argv(), output, realRoot);
    } finally {
      lock.unlock();
    }
  }

  private void setUp() throws ImageBuildException {
    if (sandbox == null || !sandbox.alive()) {
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
      IdMap[] maps = RootlessPreflight.idMaps();
      Sandbox started = Sandbox.start(maps[0], maps[1]);
      try {
        SandboxMounts.setUp(started, realRoot);
      } catch (ImageBuildException | RuntimeException e) {
        started.close();
        throw e;
      }
      sandbox = started;
      policy = new PolicyRcD(realRoot);
    }
    try {
      policy.place();
    } catch (IOException e) {
      throw new ImageBuildException("cannot place " + policy.file() + ": " + e, e);
    }
  }

  @Override
  public void release() throws ImageBuildException {
    lock.lock();
    try {
      tearDown();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws ImageBuildException {
    closed = true;
    tearDown();
    if (rootLock != null) {
      rootLock.close();
      rootLock = null;
    }
  }

  /** Ends the sandbox (its processes and mounts with it) and removes the policy. */
  private void tearDown() {
    if (sandbox != null) {
      sandbox.close();
      sandbox = null;
    }
    if (policy != null) {
      policy.remove();
      policy = null;
    }
  }
}
