package io.imagebuilder.internal.deb822;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StanzaTest {

  private final Stanza stanza =
      Deb822.parse("Package: dpkg\nVersion: 1.21.22\nArchitecture: amd64\n").get(0);

  @Test
  void withFieldAfterInsertsWhereDpkgStatusWantsIt() {
    Stanza status = stanza.withFieldAfter("Package", "Status", "install ok installed");
    assertEquals(List.of("Package", "Status", "Version", "Architecture"), status.names());
    assertEquals(
        "Package: dpkg\nStatus: install ok installed\nVersion: 1.21.22\nArchitecture: amd64\n",
        status.format());
  }

  @Test
  void withFieldReplacesIgnoringCaseOrAppends() {
    assertEquals("1.0", stanza.withField("version", "1.0").get("Version"));
    assertEquals(3, stanza.withField("version", "1.0").size());
    assertEquals(
        List.of("Package", "Version", "Architecture", "Essential"),
        stanza.withField("Essential", "yes").names());
    assertEquals("1.21.22", stanza.get("Version"), "the original is unchanged");
  }

  @Test
  void withoutRemovesAField() {
    assertEquals(List.of("Package", "Architecture"), stanza.without("VERSION").names());
  }

  @Test
  void ofRejectsBadAndDuplicateNames() {
    Map<String, String> dup = new LinkedHashMap<>();
    dup.put("Package", "a");
    dup.put("package", "b");
    assertThrows(IllegalArgumentException.class, () -> Stanza.of(dup));
    assertThrows(IllegalArgumentException.class, () -> Stanza.of(Map.of("Bad Name", "x")));
    assertThrows(IllegalArgumentException.class, () -> stanza.withField("-x", "y"));
  }
}
