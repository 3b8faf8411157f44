package io.imagebuilder.internal.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {
  @Test
  void anExcerptEscapesControlCharactersAndIsBounded() {
    assertEquals("a\\nb\\u0000c", Checks.excerpt("a\nb\u0000c"));
    String huge = "x".repeat(1_900_000);
    String e = Checks.excerpt(huge);
    assertEquals("x".repeat(80) + "... (1900000 characters)", e);
  }

  @Test
  void aBadPackageNameIsQuotedAsAnExcerpt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Checks.packageRequest("A".repeat(5000)));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    assertTrue(e.getMessage().contains("(5000 characters)"), e.getMessage());
  }

  @Test
  void aTriggerIsShortPrintableAscii() {
    assertEquals("ci-42/nightly build", Checks.trigger("ci-42/nightly build"));
    assertEquals("", Checks.trigger(null));
    IllegalArgumentException tooLong =
        assertThrows(IllegalArgumentException.class, () -> Checks.trigger("t".repeat(300)));
    assertTrue(tooLong.getMessage().startsWith("invalid trigger 'tttt"), tooLong.getMessage());
    assertTrue(
        tooLong
            .getMessage()
            .endsWith("(expected at most 128 printable ASCII characters, got 300 characters)"),
        tooLong.getMessage());
    IllegalArgumentException newline =
        assertThrows(IllegalArgumentException.class, () -> Checks.trigger("a\nb"));
    assertTrue(newline.getMessage().startsWith("invalid trigger 'a\\nb'"), newline.getMessage());
  }

  @Test
  void aPackageListIsBounded() {
    List<String> many = Collections.nCopies(200_000, "curl");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Checks.packageCount(many, "packages"));
    assertEquals("too many packages: 200000 (expected at most 10000)", e.getMessage());
    assertEquals(3, Checks.packageCount(List.of("a", "b", "c"), "packages").size());
    List<String> longNames = Collections.nCopies(9_000, "p".repeat(100));
    IllegalArgumentException chars =
        assertThrows(
            IllegalArgumentException.class, () -> Checks.packageCount(longNames, "packages"));
    assertEquals(
        "too long a list of packages: 909000 characters (expected at most 262144)",
        chars.getMessage());
  }

  @Test
  void aFarFutureSourceDateEpochIsRefusedNamingTheBound() {
    assertEquals(1_700_000_000L, Checks.sourceDateEpoch(1_700_000_000L));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Checks.sourceDateEpoch(99_999_999_999L));
    assertEquals(
        "invalid SOURCE_DATE_EPOCH '99999999999' (expected seconds since 1970, from 0 to 4102444800"
            + " = 2100-01-01T00:00:00Z)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Checks.sourceDateEpoch(-1));
  }

  @Test
  void aBadUrlKeepsItsPasswordOutOfTheMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Checks.url("ftp://u:secret@host/x", "mirror"));
    assertTrue(!e.getMessage().contains("secret"), e.getMessage());
  }
}
