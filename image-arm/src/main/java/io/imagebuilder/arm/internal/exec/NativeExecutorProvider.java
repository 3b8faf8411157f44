package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.mount.StaleMountCleaner;
import java.nio.file.Path;

/**
 * {@code native}: the host runs the target's binaries itself (amd64 on amd64, arm64 on an ARM
 * server or board), each command in a sandbox of the target ({@link SandboxExecutor}: its own
 * mount, PID, IPC, UTS and network namespaces, the target as its root, a cut capability bounding
 * set). Needs root.
 */
public final class NativeExecutorProvider implements ExecutorProvider {
  public static final String NAME = "native";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(Architecture target, Architecture host) {
    return target == host;
  }

  @Override
  public int preference() {
    return 0;
  }

  @Override
  public void cleanStale(Path workParent) throws ImageBuildException {
    StaleMountCleaner.clean(workParent);
  }

  @Override
  public Executor open(Path root, Architecture target) {
    return new SandboxExecutor(
        NAME,
        root,
        target,
        (arch, r) -> {
          NativePreflight.check(arch, r);
          return NativePreflight.environment();
        },
        false,
        false);
  }
}
