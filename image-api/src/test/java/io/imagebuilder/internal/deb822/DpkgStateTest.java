package io.imagebuilder.internal.deb822;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DpkgStateTest {
  @Test
  void installedIsDpkgsStateInstalledWhateverTheWant() {
    assertTrue(DpkgState.parse("install ok installed").installed());
    assertTrue(DpkgState.parse("hold ok installed").installed(), "a held package is installed");
    assertTrue(DpkgState.parse("  install  ok  installed ").installed());
    assertFalse(DpkgState.parse("install ok unpacked").installed());
    assertFalse(DpkgState.parse("install ok half-configured").installed());
    assertFalse(DpkgState.parse("deinstall ok config-files").installed());
  }

  @Test
  void filesAreInPlaceFromUnpackedOn() {
    assertTrue(DpkgState.parse("install ok unpacked").filesInPlace());
    assertTrue(DpkgState.parse("install ok triggers-pending").filesInPlace());
    assertTrue(DpkgState.parse("install ok installed").filesInPlace());
    assertFalse(DpkgState.parse("install reinstreq half-installed").filesInPlace());
    assertFalse(DpkgState.parse("deinstall ok config-files").filesInPlace());
    assertFalse(DpkgState.parse("purge ok not-installed").filesInPlace());
  }

  @Test
  void aMissingOrMalformedStatusIsNotInstalled() {
    assertFalse(DpkgState.parse(null).installed());
    assertFalse(DpkgState.parse("installed").installed());
    assertEquals("not-installed", DpkgState.parse("").state());
  }

  @Test
  void theStateOfAStanza() {
    Stanza s = Deb822.parse("Package: a\nStatus: install ok installed\n").get(0);
    assertEquals(new DpkgState("install", "ok", "installed"), DpkgState.of(s));
    assertFalse(DpkgState.of(Deb822.parse("Package: b\n").get(0)).installed());
  }
}
