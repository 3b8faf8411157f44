package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.CommandFailedException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.sandbox.Sandbox;
import io.imagebuilder.arm.internal.sandbox.SandboxMounts;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.internal.userns.IdMap;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Runs commands in the target root inside a {@link Sandbox}: mount, PID, IPC, UTS and (unless the
 * command asks for the network) network namespaces of their own, the target as the root of their
 * mount namespace, a capability bounding set without what reaches the host. As root the sandbox has
 * no user namespace (the host's ids, root's file rights over the target); rootless it has one with
 * the caller's subordinate range. Natively or through qemu-user: the kernel picks the interpreter
 * through binfmt_misc, so every strategy runs the same way and differs only in its preflight and
 * environment.
 *
 * <p>The sandbox and its mounts are made before the first command and ended by {@link #release()}
 * and {@link #close()} (the next command makes a new one), so no process of one stage outlives it.
 */
final class SandboxExecutor extends TargetRootExecutor {
  private static final Logger LOG = Logs.get(SandboxExecutor.class);

  private final boolean rootless;
  private final boolean helpersAllowed;

  private Sandbox sandbox;

  /** Prepared on the first command that allows them, for as long as the sandbox lives. */
  private Optional<NativeHelpers> helpers;

  /**
   * @param rootless whether the sandbox gets a user namespace with the caller's subordinate range
   * @param helpersAllowed whether commands that allow it may run with {@link NativeHelpers}: only
   *     worth it when the target's binaries are emulated
   */
  SandboxExecutor(
      String name,
      Path root,
      Architecture architecture,
      Strategy strategy,
      boolean rootless,
      boolean helpersAllowed) {
    super(name, root, architecture, strategy);
    this.rootless = rootless;
    this.helpersAllowed = helpersAllowed;
  }

  @Override
  boolean ready() {
    return sandbox != null && sandbox.alive();
  }

  @Override
  void prepare(Path realRoot) throws ImageBuildException {
    Sandbox started;
    if (rootless) {
      IdMap[] maps = RootlessPreflight.idMaps();
      started = Sandbox.start(maps[0], maps[1]);
    } else {
      started = Sandbox.startAsRoot();
    }
    try {
      SandboxMounts.setUp(started, realRoot);
    } catch (ImageBuildException | RuntimeException e) {
      started.close();
      throw e;
    }
    sandbox = started;
    helpers = null;
  }

  @Override
  CommandResult execute(Command command, Map<String, String> env, Consumer<String> output)
      throws ImageBuildException, InterruptedException {
    Path realRoot = realRoot();
    List<String> argv =
        sandbox.command(command.workingDirectory(), command.network(), command.argv());
    NativeHelpers active = command.nativeHelpers() ? helpers().orElse(null) : null;
    if (active == null) {
      return endSandboxIfKilled(
          () -> runner().run(argv, env, command.timeout(), command.argv(), output, realRoot));
    }
    Map<String, String> helperEnv = CommandEnvironment.build(env, NativeHelpers.environment());
    // ctime has whole-second precision on some filesystems: start a second early
    FileTime start = FileTime.fromMillis(System.currentTimeMillis() - 1000);
    active.bind(sandbox);
    CommandResult result;
    try {
      result =
          endSandboxIfKilled(
              () ->
                  runner()
                      .run(argv, helperEnv, command.timeout(), command.argv(), output, realRoot));
    } catch (ImageBuildException | InterruptedException | RuntimeException e) {
      if (sandbox != null) {
        try {
          active.unbind(sandbox);
        } catch (ImageBuildException u) {
          e.addSuppressed(u);
        }
      }
      throw e;
    }
    active.unbind(sandbox);
    active.checkNoHostCopies(realRoot, start);
    return result;
  }

  /** A command run that may be killed at its timeout or by an interrupt. */
  private interface Run {
    CommandResult run() throws ImageBuildException, InterruptedException;
  }

  /**
   * Runs {@code run}; when its command was killed (timeout, interrupt), ends the whole sandbox:
   * what the command started outside its process group (a daemon in a session of its own) goes too,
   * and the next command gets a fresh sandbox.
   */
  private CommandResult endSandboxIfKilled(Run run)
      throws ImageBuildException, InterruptedException {
    try {
      return run.run();
    } catch (InterruptedException e) {
      tearDown();
      throw e;
    } catch (CommandFailedException e) {
      if (e.timedOut()) {
        tearDown();
      }
      throw e;
    }
  }

  private Optional<NativeHelpers> helpers() {
    if (helpers == null) {
      helpers = helpersAllowed ? NativeHelpers.prepare(realRoot(), sandbox) : Optional.empty();
    } else if (helpers.isPresent() && !helpers.get().current(realRoot())) {
      // chosen for versions the target no longer has: fully emulated until the next sandbox
      LOG.info("native helpers for {} dropped: a tool's package changed since", realRoot());
      helpers = Optional.empty();
    }
    return helpers;
  }

  /** Ends the sandbox: its processes and mounts end with it. */
  @Override
  ImageBuildException tearDown() {
    if (sandbox != null) {
      sandbox.close();
      sandbox = null;
      helpers = null;
    }
    return null;
  }
}
