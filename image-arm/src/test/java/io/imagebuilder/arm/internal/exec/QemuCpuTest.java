package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.spec.Architecture;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QemuCpuTest {
  @Test
  void arm64AvoidsTheSlowPointerAuthenticationOfMax() {
    assertEquals(Map.of("QEMU_CPU", "cortex-a72"), QemuCpu.environmentFor(Architecture.ARM64));
    assertEquals(Map.of(), QemuCpu.environmentFor(Architecture.ARMHF));
  }
}
