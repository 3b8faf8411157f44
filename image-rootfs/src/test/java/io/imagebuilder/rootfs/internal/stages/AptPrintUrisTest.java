package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AptPrintUrisTest {
  // Real output of apt 2.6 (bookworm) with -o Acquire::ForceHash=SHA256, plus a side repository.
  private static final String OUTPUT =
      """
      'http://deb.debian.org/debian/pool/main/libt/libtommath/libtommath1_1.2.0-6%2bdeb12u1_amd64.deb' libtommath1_1.2.0-6+deb12u1_amd64.deb 63460 SHA256:9ee19bf48bd80f903cd1ad64c1231198b1b1e5e2d3c2427fcd946916644424fa
      'https://deb.debian.org/debian/pool/main/d/dropbear/dropbear-bin_2022.83-1%2bdeb12u3_amd64.deb' dropbear-bin_2022.83-1+deb12u3_amd64.deb 155520 SHA256:44AC9AAAE0105BCA66EA4D457852BF97020CCAB33D5C088B0E5C8668891290A0
      'file:/srv/repo/./tool_1.0_all.deb' tool_1.0_all.deb 1024 SHA256:0000000000000000000000000000000000000000000000000000000000000000
      'http://deb.debian.org/debian/pool/main/libt/libtomcrypt/libtomcrypt1_1.18.2-6_amd64.deb' libtomcrypt1_1.18.2-6_amd64.deb 403032 MD5Sum:64d4724ab446f3691a5d63b92edcbcbc

      """;

  @Test
  void parsesEachDownload() {
    List<AptPrintUris.Entry> entries = AptPrintUris.parse(OUTPUT);
    assertEquals(4, entries.size());
    AptPrintUris.Entry first = entries.get(0);
    assertEquals(
        URI.create(
            "http://deb.debian.org/debian/pool/main/libt/libtommath/libtommath1_1.2.0-6%2bdeb12u1_amd64.deb"),
        first.uri());
    assertEquals("libtommath1_1.2.0-6+deb12u1_amd64.deb", first.fileName());
    assertEquals(63460, first.size());
    assertEquals(
        "9ee19bf48bd80f903cd1ad64c1231198b1b1e5e2d3c2427fcd946916644424fa", first.sha256());
    assertEquals(
        "44ac9aaae0105bca66ea4d457852bf97020ccab33d5c088b0e5c8668891290a0",
        entries.get(1).sha256(),
        "lowercased");
  }

  @Test
  void onlyHttpDebsWithASha256AreFetchedNatively() {
    List<AptPrintUris.Entry> entries = AptPrintUris.parse(OUTPUT);
    assertTrue(entries.get(0).fetchable());
    assertTrue(entries.get(1).fetchable(), "https");
    assertFalse(entries.get(2).fetchable(), "a file: repository is left to apt");
    assertNull(entries.get(3).sha256());
    assertFalse(entries.get(3).fetchable(), "an MD5Sum is not enough");
  }

  @Test
  void nothingToDownloadIsAnEmptyList() {
    assertEquals(List.of(), AptPrintUris.parse(""));
  }

  @Test
  void refusesOtherOutput() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AptPrintUris.parse("E: Unable to locate package nosuch\n"));
    assertTrue(e.getMessage().contains("'E: Unable to locate package nosuch'"), e.getMessage());
  }

  @Test
  void packageNameFromTheFileName() {
    assertEquals("libtommath1", AptInstaller.packageName("libtommath1_1.2.0-6+deb12u1_amd64.deb"));
  }
}
