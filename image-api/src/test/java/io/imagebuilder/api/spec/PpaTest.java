package io.imagebuilder.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PpaTest {
  @Test
  void mapsToItsLaunchpadArchive() {
    Ppa ppa = Ppa.parse("ppa:snappy-dev/image");
    assertEquals("snappy-dev", ppa.owner());
    assertEquals("image", ppa.archive());
    assertEquals("https://ppa.launchpadcontent.net/snappy-dev/image/ubuntu", ppa.uri());
  }

  @Test
  void normalisesTheFingerprint() {
    Ppa ppa = new Ppa("ppa:a/b", "0123 4567 89ab cdef 0123 4567 89AB CDEF 0123 4567", null);
    assertEquals("0123456789ABCDEF0123456789ABCDEF01234567", ppa.fingerprint());
  }

  @Test
  void rejectsMalformedValues() {
    ImageSpecTest.assertMessage("invalid PPA 'ppa:owner' (expected ppa:owner/name)", () -> Ppa.parse("ppa:owner"));
    ImageSpecTest.assertMessage("invalid PPA 'owner/name'", () -> Ppa.parse("owner/name"));
    ImageSpecTest.assertMessage("invalid key fingerprint 'abc'", () -> new Ppa("ppa:a/b", "abc", null));
  }
}
