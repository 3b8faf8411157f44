package io.imagebuilder.api.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandTest {
  @Test
  void nativeHelpersAreOffUnlessAskedForAndSurviveTheOtherCopies() {
    Command plain = Command.of("update-initramfs", "-u");
    assertFalse(plain.nativeHelpers());
    Command helped =
        plain.withNativeHelpers().withTimeout(Duration.ofMinutes(5)).withEnvironment("A", "b");
    assertTrue(helped.nativeHelpers());
    assertEquals(plain.argv(), helped.argv());
    assertEquals(Duration.ofMinutes(5), helped.timeout());
    assertEquals("b", helped.environment().get("A"));
  }
}
