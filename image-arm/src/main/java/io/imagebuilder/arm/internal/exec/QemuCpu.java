package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.spec.Architecture;
import java.util.Map;

/**
 * The CPU model qemu-user emulates, through {@code QEMU_CPU}. qemu's default for arm64 is {@code
 * max}, which includes pointer authentication computed with the QARMA5 cipher: binaries built with
 * branch protection (Debian trixie onwards, Ubuntu) sign and check every return address, and under
 * {@code max} run 10 to 20 times slower. {@code cortex-a72} is an ARMv8.0 core, exactly the Debian
 * and Ubuntu arm64 baseline, so nothing built or tested under emulation can come to depend on a
 * feature the oldest supported hardware lacks; PAC and BTI instructions are hints that it executes
 * as no-ops. Measured (busybox from trixie, gzip of 5 MB and back, then a 200000-step sh loop): max
 * 33.2 s / 49.3 s, max with pauth-impdef 3.3 s / 8.6 s, cortex-a72 1.5 s / 2.9 s. armhf showed no
 * difference between models, so it keeps qemu's default.
 */
public final class QemuCpu {
  public static final String VARIABLE = "QEMU_CPU";
  static final String ARM64_MODEL = "cortex-a72";

  private QemuCpu() {}

  /** The variables that select the CPU model for {@code arch} (empty: qemu's default). */
  public static Map<String, String> environmentFor(Architecture arch) {
    if (arch == Architecture.ARM64) {
      return Map.of(VARIABLE, ARM64_MODEL);
    }
    return Map.of();
  }
}
