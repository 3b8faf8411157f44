package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.mount.StaleMountCleaner;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code qemu-user}: a foreign architecture's binaries run in a sandbox of the target ({@link
 * SandboxExecutor}) through binfmt_misc and a static qemu ({@code qemu-user-static}). Supported on
 * an amd64 host for arm64, armhf, armel, riscv64, ppc64el, s390x and i386. Needs root and the
 * host's binfmt registrations, which the preflight checks and never changes. Commands that allow it
 * run with the host's shell and common tools ({@link NativeHelpers}); {@code
 * -Dimagebuilder.nativeHelpers=false} turns that off.
 */
public final class QemuUserExecutorProvider implements ExecutorProvider {
  public static final String NAME = "qemu-user";

  static final Set<Architecture> ON_AMD64 =
      EnumSet.of(
          Architecture.ARM64,
          Architecture.ARMHF,
          Architecture.ARMEL,
          Architecture.RISCV64,
          Architecture.PPC64EL,
          Architecture.S390X);

  /**
   * {@code -Dimagebuilder.nativeHelpers=false} keeps every command fully emulated (read per
   * executor).
   */
  static boolean nativeHelpers() {
    return !"false".equalsIgnoreCase(System.getProperty("imagebuilder.nativeHelpers", "true"));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(Architecture target, Architecture host) {
    return host == Architecture.AMD64 && ON_AMD64.contains(target);
  }

  @Override
  public int preference() {
    return 10;
  }

  @Override
  public void cleanStale(Path workParent) throws ImageBuildException {
    StaleMountCleaner.clean(workParent);
  }

  @Override
  public Executor open(Path root, Architecture target) {
    QemuUserPreflight preflight = new QemuUserPreflight(QemuUserPreflight.DEFAULT_BINFMT_DIR);
    return new SandboxExecutor(NAME, root, target, preflight::check, false, nativeHelpers());
  }
}
