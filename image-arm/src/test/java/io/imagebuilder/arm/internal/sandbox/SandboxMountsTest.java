package io.imagebuilder.arm.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxMountsTest {
  @Test
  void theKernelsWritableKnobsAreReadOnlyAndItsSecretsMasked() {
    assertTrue(
        SandboxMounts.READ_ONLY_PROC.containsAll(List.of("sys", "sysrq-trigger", "irq", "bus")));
    assertTrue(SandboxMounts.MASKED_PROC.containsAll(List.of("kcore", "keys", "kmsg")));
    for (String p : SandboxMounts.READ_ONLY_PROC) {
      // each is passed to a shell loop as one word
      assertFalse(p.contains(" ") || p.contains("/") || p.contains("."), p);
    }
  }

  @Test
  void theHostsRootGoesToTheTargetsRunTmpfs() {
    assertTrue(Sandbox.OLD_ROOT.startsWith("/run/."), Sandbox.OLD_ROOT);
  }
}
