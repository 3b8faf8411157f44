package io.imagebuilder.internal.userns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class IdMapTest {
  private static final String PROC =
      "         0       1001          1\n         1     100000      65535\n";

  @Test
  void theRootlessMapIsWhatUnshareWritesToUidMap() {
    assertEquals(
        IdMap.parse(PROC), IdMap.rootless(1001, new SubordinateRanges.Range(100000, 65536)));
  }

  @Test
  void hostOwnersMapBackToTheOwnersInside() {
    IdMap map = IdMap.parse(PROC);
    assertEquals(OptionalLong.of(0), map.toNamespace(1001), "the caller is root inside");
    assertEquals(OptionalLong.of(42), map.toNamespace(100041), "shadow");
    assertEquals(OptionalLong.of(65534), map.toNamespace(165533), "nogroup");
    assertEquals(OptionalLong.empty(), map.toNamespace(0), "host root is not mapped");
    assertEquals(OptionalLong.empty(), map.toNamespace(165535), "past the range");
  }

  @Test
  void theIdentityMapsEveryId() {
    assertEquals(OptionalLong.of(100041), IdMap.identity().toNamespace(100041));
  }

  @Test
  void aBadLineIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IdMap.parse("0 1001\n"));
    assertEquals("invalid id map line '0 1001' (expected: inside outside count)", e.getMessage());
  }
}
