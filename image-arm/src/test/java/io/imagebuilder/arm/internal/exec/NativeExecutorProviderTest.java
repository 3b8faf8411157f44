package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeExecutorProviderTest {
  private final NativeExecutorProvider p = new NativeExecutorProvider();

  @Test
  void runsExactlyTheHostsArchitecture() {
    assertEquals("native", p.name());
    assertEquals(0, p.preference());
    assertTrue(p.supports(Architecture.ARM64, Architecture.ARM64));
    assertTrue(p.supports(Architecture.AMD64, Architecture.AMD64));
    assertFalse(p.supports(Architecture.ARM64, Architecture.AMD64));
  }

  @Test
  void autoPicksNativeForTheHostArchitecture() {
    assertEquals("native", ExecutionStrategies.find("auto", Architecture.host()).name());
  }

  @Test
  void openingMountsNothing() throws Exception {
    try (Executor e = p.open(Path.of("/nonexistent/rootfs"), Architecture.host())) {
      assertEquals("native", e.name());
      assertEquals(Path.of("/nonexistent/rootfs"), e.root());
    }
  }
}
