package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BinfmtEntryTest {
  static final String BOOKWORM_AARCH64 =
      "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\noffset 0\n"
          + "magic 7f454c460201010000000000000000000200b700\n"
          + "mask ffffffffffffff00fffffffffffffffffeffffff\n";

  @Test
  void parsesARegistration() {
    BinfmtEntry e = BinfmtEntry.parse(BOOKWORM_AARCH64).orElseThrow();
    assertTrue(e.enabled());
    assertEquals("/usr/libexec/qemu-binfmt/aarch64-binfmt-P", e.interpreter());
    assertEquals("PF", e.flags());
    assertTrue(e.fixBinary());
  }

  @Test
  void disabledAndWithoutFixBinary() {
    BinfmtEntry e =
        BinfmtEntry.parse("disabled\ninterpreter /usr/bin/qemu-arm-static\nflags: \noffset 0\n")
            .orElseThrow();
    assertFalse(e.enabled());
    assertFalse(e.fixBinary());
  }

  @Test
  void somethingElseIsNoEntry() {
    assertEquals(Optional.empty(), BinfmtEntry.parse("enabled\n"));
  }
}
