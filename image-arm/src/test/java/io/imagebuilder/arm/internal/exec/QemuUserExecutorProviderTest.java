package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.spec.Architecture;
import org.junit.jupiter.api.Test;

class QemuUserExecutorProviderTest {
  private final QemuUserExecutorProvider p = new QemuUserExecutorProvider();

  @Test
  void foreignArchitecturesOnAnAmd64Host() {
    assertEquals("qemu-user", p.name());
    assertEquals(10, p.preference());
    for (Architecture a :
        new Architecture[] {
          Architecture.ARM64,
          Architecture.ARMHF,
          Architecture.ARMEL,
          Architecture.RISCV64,
          Architecture.PPC64EL,
          Architecture.S390X
        }) {
      assertTrue(p.supports(a, Architecture.AMD64), a.toString());
    }
    assertFalse(p.supports(Architecture.AMD64, Architecture.AMD64));
    assertFalse(p.supports(Architecture.ARMHF, Architecture.ARM64));
  }

  @Test
  void autoFallsBackToQemuUserForAForeignTarget() {
    if (Architecture.host() == Architecture.AMD64) {
      assertEquals("qemu-user", ExecutionStrategies.find("auto", Architecture.ARM64).name());
    }
  }
}
