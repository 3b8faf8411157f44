package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.mount.Signals;
import java.nio.file.Path;

/**
 * {@code rootless}: the target's binaries (natively, or through qemu-user's binfmt_misc
 * registration with the F flag for arm64, armhf and the others on amd64) in a chroot inside new
 * user, mount, PID, IPC and UTS namespaces, with the caller's subordinate id range mapped, so that
 * an ordinary user builds the same bytes as root. {@code auto} picks it when the JVM does not run
 * as root.
 */
public final class RootlessExecutorProvider implements ExecutorProvider {
  public static final String NAME = "rootless";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(Architecture target, Architecture host) {
    return target == host
        || (host == Architecture.AMD64 && QemuUserExecutorProvider.ON_AMD64.contains(target));
  }

  @Override
  public int preference() {
    // first for an ordinary user; as root the plain strategies come first (for now)
    return Signals.effectiveUid() == 0 ? 10 : -10;
  }

  @Override
  public Executor open(Path root, Architecture target) {
    return new SandboxExecutor(NAME, root, target, RootlessPreflight::check, true, false);
  }
}
