package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SkipsTest {
  @Test
  void aHostThatCannotSkipsTheTestWithTheReason() {
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> Skips.cannot("no qemu-user for arm64", false));
    // JUnit reports this exception as "skipped", with its message as the reason.
    assertEquals("org.opentest4j.TestAbortedException", e.getClass().getName());
    assertEquals("no qemu-user for arm64", e.getMessage());
  }

  @Test
  void theCiFlagTurnsTheSkipIntoAFailureWithTheSameReason() {
    AssertionError e =
        assertThrows(AssertionError.class, () -> Skips.cannot("no qemu-user for arm64", true));
    assertTrue(
        e.getMessage()
            .startsWith("no qemu-user for arm64 (imagebuilder.testing.failInsteadOfSkip=true"),
        e.getMessage());
  }
}
