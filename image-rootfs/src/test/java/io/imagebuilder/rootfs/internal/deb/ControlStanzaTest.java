package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ControlStanzaTest {
  @Test
  void keepsFieldOrderAndContinuationLines() {
    ControlStanza s =
        ControlStanza.parse(
            "Package: a\nDescription: short\n long\n .\n more\nDepends: b\n\nPackage: c\n");
    assertEquals(
        List.of(
            new ControlStanza.Field("Package", "a"),
            new ControlStanza.Field("Description", "short\n long\n .\n more"),
            new ControlStanza.Field("Depends", "b")),
        s.fields());
    assertEquals("b", s.get("depends").orElseThrow());
  }

  @Test
  void rejectsALineThatIsNoField() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ControlStanza.parse("Package a\n"));
    assertEquals("line 1: expected 'Name: value', got 'Package a'", e.getMessage());
  }
}
