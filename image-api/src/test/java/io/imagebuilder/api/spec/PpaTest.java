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
    ImageSpecTest.assertMessage(
        "invalid PPA 'ppa:owner' (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE)",
        () -> Ppa.parse("ppa:owner"));
    ImageSpecTest.assertMessage("invalid PPA 'owner/name'", () -> Ppa.parse("owner/name"));
    ImageSpecTest.assertMessage(
        "invalid key fingerprint 'abc'", () -> new Ppa("ppa:a/b", "abc", null));
    ImageSpecTest.assertMessage(
        "invalid PPA 'ppa:a/b=' (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE)",
        () -> Ppa.parse("ppa:a/b="));
    ImageSpecTest.assertMessage(
        "invalid PPA 'Owner/b=key.asc' (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE)",
        () -> Ppa.parse("Owner/b=key.asc"));
    ImageSpecTest.assertMessage(
        "invalid PPA 'ppa:a/b=DEADBEEF': 'DEADBEEF' is no key fingerprint (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE;",
        () -> Ppa.parse("ppa:a/b=DEADBEEF"));
  }

  @Test
  void parsesAPlainPpaAPinnedFingerprintAndAKeyFile() {
    assertEquals(new Ppa("ppa:a/b", null, null), Ppa.parse("ppa:a/b"));
    assertEquals(
        new Ppa("ppa:a/b", "0123456789ABCDEF0123456789ABCDEF01234567", null),
        Ppa.parse("ppa:a/b=0123 4567 89ab cdef 0123 4567 89AB CDEF 0123 4567"));
    assertEquals(new Ppa("ppa:a/b", null, "/etc/keys/b.asc"), Ppa.parse("ppa:a/b=/etc/keys/b.asc"));
    // A file named like a key id is written as a path, so it is not read as one.
    assertEquals(new Ppa("ppa:a/b", null, "./deadbeef"), Ppa.parse("ppa:a/b=./deadbeef"));
  }
}
