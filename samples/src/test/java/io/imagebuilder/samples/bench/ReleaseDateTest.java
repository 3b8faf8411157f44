package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseDateTest {
  @Test
  void readsTheDateOfASignedInRelease() {
    String inRelease =
        String.join(
            "\n",
            "-----BEGIN PGP SIGNED MESSAGE-----",
            "Hash: SHA256",
            "",
            "Origin: Debian",
            "Suite: stable",
            "Codename: bookworm",
            "Date: Sat, 10 Jan 2026 10:24:31 UTC",
            "Valid-Until: Sat, 17 Jan 2026 10:24:31 UTC",
            "SHA256:",
            " 0123 100 main/binary-arm64/Packages",
            "-----BEGIN PGP SIGNATURE-----",
            "");
    assertEquals(Optional.of(1768040671L), ReleaseDate.epochSeconds(inRelease));
  }

  @Test
  void acceptsAnOffsetAndCrlfLines() {
    assertEquals(
        Optional.of(0L),
        ReleaseDate.epochSeconds("Origin: x\r\nDate: Thu, 1 Jan 1970 00:00:00 +0000\r\n"));
  }

  @Test
  void noDateIsEmptyAndABadOneIsQuoted() {
    assertEquals(Optional.empty(), ReleaseDate.epochSeconds("Origin: Debian\nSuite: stable\n"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ReleaseDate.epochSeconds("Date: yesterday\n"));
    assertTrue(e.getMessage().startsWith("invalid Release Date 'yesterday'"), e.getMessage());
  }
}
