package io.imagebuilder.rootfs.internal.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DebianVersionTest {

  /** Cases checked by hand against {@code dpkg --compare-versions} on bookworm. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(
      delimiter = ' ',
      value = {
        "1.0 < 1.1",
        "1.0 = 1.0",
        "1.0 = 1.0-0",
        "1.0 = 0:1.0",
        "1.0 = 1.00",
        "1.0 < 1.0-1",
        "1.0-1 < 1.0-2",
        "1.0-10 > 1.0-9",
        "1.10 > 1.9",
        "1.0~rc1 < 1.0",
        "1.0~rc1 > 1.0~~",
        "1.0~~ < 1.0~",
        "1.0~ < 1.0",
        "1.0 < 1.0a",
        "1.0a < 1.0b",
        "1.0a < 1.0.",
        "1.0+ < 1.0.",
        "1.0. > 1.0+",
        "1.0+dfsg < 1.0.1",
        "1.0 < 1.0+dfsg",
        "1:0.1 > 2.0",
        "2:1.0 > 1:9.9",
        "10:1 > 9:1",
        "1.2.3-1 < 1.2.3-1+b1",
        "1.2.3-1+b1 < 1.2.3-1.1",
        "1.2.3-1~bpo12+1 < 1.2.3-1",
        "2.36-9+deb12u4 > 2.36-9+deb12u3",
        "2.36-9+deb12u10 > 2.36-9+deb12u9",
        "1.0-1 < 1.0.1-1",
        "1-1-1 > 1-1",
        "1:2.66-4+deb12u1 > 1:2.66-4",
        "0.0001 = 0.1",
        "1a < 1b",
        "1Z < 1a",
        "1.0 > 1",
        "1 < 1.0",
        "1 = 1",
        "0 = 00",
        "1.01 = 1.1",
        "1.0a < 1.a",
        "99999999999999999999999 > 99999999999999999999998",
        "5.36.0-7+deb12u1 < 5.36.0-7+deb12u2",
        "3.0.9-1 > 3.0.9-0.1",
        "1.0-0~ < 1.0",
      })
  void comparesLikeDpkg(String a, String op, String b) {
    DebianVersion va = DebianVersion.parse(a);
    DebianVersion vb = DebianVersion.parse(b);
    int expected =
        switch (op) {
          case "<" -> -1;
          case ">" -> 1;
          default -> 0;
        };
    assertEquals(expected, Integer.signum(va.compareTo(vb)), a + " " + op + " " + b);
    assertEquals(-expected, Integer.signum(vb.compareTo(va)), b + " vs " + a);
    if (expected == 0) {
      assertEquals(va, vb);
      assertEquals(va.hashCode(), vb.hashCode(), "hash of equal versions " + a + ", " + b);
    } else {
      assertNotEquals(va, vb);
    }
  }

  @Test
  void splitsEpochUpstreamAndRevisionLikeDpkg() {
    DebianVersion v = DebianVersion.parse("2:1.2-3-4");
    assertEquals(2, v.epoch());
    assertEquals("1.2-3", v.upstream());
    assertEquals("4", v.revision());
    DebianVersion colons = DebianVersion.parse("1:2:3");
    assertEquals(1, colons.epoch());
    assertEquals("2:3", colons.upstream());
    assertEquals("", DebianVersion.parse("1.0").revision());
  }

  @Test
  void toStringKeepsTheOriginalText() {
    assertEquals("0:1.00-0", DebianVersion.parse("0:1.00-0").toString());
    assertEquals("1.0", DebianVersion.parse(" 1.0 ").toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "1.0 1",
        "a1.0",
        ":1.0",
        "x:1.0",
        "1:",
        "1.0-",
        "-1",
        "1.0_1",
        "1.0-1:2",
        "1.0-a_b",
        "99999999999:1"
      })
  void rejectsInvalidVersionsQuotingThem(String bad) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse(bad));
    assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
  }

  @Test
  void sortsAListInDpkgOrder() {
    var sorted =
        java.util.stream.Stream.of("1.0", "1.0~rc1", "1:0.9", "1.0-1", "0.9", "1.0+b1", "1.0~~")
            .map(DebianVersion::parse)
            .sorted()
            .map(DebianVersion::toString)
            .toList();
    assertEquals(
        java.util.List.of("0.9", "1.0~~", "1.0~rc1", "1.0", "1.0-1", "1.0+b1", "1:0.9"), sorted);
  }
}
