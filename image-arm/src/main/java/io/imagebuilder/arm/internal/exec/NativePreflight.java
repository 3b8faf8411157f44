package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.HostNotReadyException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Path;
import java.util.Map;

/** The native strategy's checks: root rights, host tools, and that a target binary runs. */
final class NativePreflight {
  private NativePreflight() {}

  static void check(Architecture target, Path root) throws ImageBuildException {
    Architecture host = Architecture.host();
    if (target != host) {
      throw new HostNotReadyException(
          "a " + host + " host to run " + target + " binaries natively",
          "use the qemu-user strategy (or auto) for " + target,
          "the native executor runs only "
              + host
              + " binaries on this "
              + host
              + " host, not "
              + target
              + " (use qemu-user, or auto)");
    }
    Preflight.requireRoot("native");
    Preflight.requireHostTools();
    String problem =
        Preflight.runTestBinary(target, Preflight.scratchFor(root), CommandEnvironment.base());
    if (problem != null) {
      throw new HostNotReadyException(
          "a kernel that runs " + target + " binaries",
          "check that the kernel runs "
              + target
              + " ELF binaries and that "
              + root
              + "'s filesystem is not mounted noexec",
          "native preflight failed: " + problem);
    }
  }

  static Map<String, String> environment() {
    return Map.of();
  }
}
