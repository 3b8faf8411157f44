package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.sandbox.Sandbox;
import io.imagebuilder.arm.internal.sandbox.SandboxMounts;
import io.imagebuilder.internal.userns.IdMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs commands in a chroot of the target root inside a {@link Sandbox} (user, mount, PID, IPC and
 * UTS namespaces), as the namespace's root: no privilege on the host. The sandbox and its mounts
 * are made before the first command and ended by {@link #release()} and {@link #close()} (the next
 * command makes a new one), so no process of one stage outlives it.
 */
final class RootlessExecutor extends TargetRootExecutor {
  private Sandbox sandbox;

  RootlessExecutor(String name, Path root, Architecture architecture, Strategy strategy) {
    super(name, root, architecture, strategy);
  }

  @Override
  boolean ready() {
    return sandbox != null && sandbox.alive();
  }

  @Override
  void prepare(Path realRoot) throws ImageBuildException {
    IdMap[] maps = RootlessPreflight.idMaps();
    Sandbox started = Sandbox.start(maps[0], maps[1]);
    try {
      SandboxMounts.setUp(started, realRoot);
    } catch (ImageBuildException | RuntimeException e) {
      started.close();
      throw e;
    }
    sandbox = started;
  }

  @Override
  CommandResult execute(Command command, Map<String, String> env, Consumer<String> output)
      throws ImageBuildException, InterruptedException {
    List<String> argv = new ArrayList<>(sandbox.enter());
    argv.addAll(hostArgv(realRoot(), command));
    return runner().run(argv, env, command.timeout(), command.argv(), output, realRoot());
  }

  /** Ends the sandbox: its processes and mounts end with it. */
  @Override
  ImageBuildException tearDown() {
    if (sandbox != null) {
      sandbox.close();
      sandbox = null;
    }
    return null;
  }
}
