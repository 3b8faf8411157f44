package io.imagebuilder.internal.deb822;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Deb822Test {

  private static final String PACKAGES =
      "Package: libc6\n"
          + "Version: 2.36-9+deb12u4\n"
          + "Depends: libgcc-s1\n"
          + "Description: GNU C Library: Shared libraries  \n"
          + " Contains the standard libraries.\n"
          + " .\n"
          + "   indented more\t\n"
          + "\n"
          + "\n"
          + "Package: bash\n"
          + "Essential: yes\n"
          + " \t \n"
          + "Package: dash\n"
          + "Version:1.0\n";

  @Test
  void splitsStanzasOnBlankAndWhitespaceOnlyLines() {
    List<Stanza> stanzas = Deb822.parse(PACKAGES);
    assertEquals(3, stanzas.size());
    assertEquals("libc6", stanzas.get(0).get("Package"));
    assertEquals("bash", stanzas.get(1).get("Package"));
    assertEquals("dash", stanzas.get(2).get("Package"));
    assertEquals("1.0", stanzas.get(2).get("Version"));
  }

  @Test
  void keepsContinuationLinesAsDpkgDoes() {
    Stanza libc = Deb822.parse(PACKAGES).get(0);
    assertEquals(
        "GNU C Library: Shared libraries  \n Contains the standard libraries.\n .\n   indented more",
        libc.get("Description"));
  }

  @Test
  void looksUpFieldsIgnoringCaseAndKeepsOrder() {
    Stanza libc = Deb822.parse(PACKAGES).get(0);
    assertEquals("libgcc-s1", libc.get("depends"));
    assertEquals("libgcc-s1", libc.get("DEPENDS"));
    assertNull(libc.get("Pre-Depends"));
    assertEquals(List.of("Package", "Version", "Depends", "Description"), libc.names());
  }

  @Test
  void formatGivesBackTheBytesDpkgKeeps() {
    // libgdbm6's control: its Description's first line ends in a space, which dpkg keeps
    String control =
        "Package: libgdbm6\nSource: gdbm\nVersion: 1.23-3\n"
            + "Description: GNU dbm database routines (runtime version) \n"
            + " GNU dbm ('gdbm') is a library \t\n"
            + " .\n"
            + "\tsee the manual\n";
    assertEquals(control, Deb822.parse(control).get(0).format());
    // only the end of the whole value loses its blanks, as in dpkg's parser
    assertEquals(
        "Package: x\nDescription: y\n z\n",
        Deb822.parse("Package: x \nDescription: y\n z \n").get(0).format());
  }

  @Test
  void formatWritesTheStanzaBack() {
    Stanza libc = Deb822.parse(PACKAGES).get(0);
    String text = libc.format();
    assertTrue(text.startsWith("Package: libc6\nVersion: 2.36-9+deb12u4\n"), text);
    assertEquals(libc, Deb822.parse(text).get(0));
  }

  @Test
  void readsAnEmptyFirstLineValue() {
    Stanza s = Deb822.parse("SHA256:\n abc 1 main/x\n def 2 main/y\n").get(0);
    assertEquals("\n abc 1 main/x\n def 2 main/y", s.get("SHA256"));
    assertEquals("SHA256:\n abc 1 main/x\n def 2 main/y\n", s.format());
  }

  @Test
  void parsesAStreamAndSkipsComments() throws Exception {
    String text = "# generated\nPackage: a\n# note\nVersion: 1\n\n\n";
    List<Stanza> stanzas =
        Deb822.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, stanzas.size());
    assertEquals("1", stanzas.get(0).get("Version"));
  }

  @Test
  void readsCrlfLineEndings() {
    List<Stanza> stanzas = Deb822.parse("Package: a\r\nVersion: 1\r\n\r\nPackage: b\r\n");
    assertEquals(2, stanzas.size());
    assertEquals("1", stanzas.get(0).get("Version"));
  }

  @Test
  void rejectsMalformedInputNamingTheLine() {
    IllegalArgumentException cont =
        assertThrows(IllegalArgumentException.class, () -> Deb822.parse(" orphan\nPackage: a\n"));
    assertTrue(cont.getMessage().contains("line 1"), cont.getMessage());
    IllegalArgumentException noColon =
        assertThrows(
            IllegalArgumentException.class, () -> Deb822.parse("Package: a\nnot a field\n"));
    assertTrue(
        noColon.getMessage().contains("line 2") && noColon.getMessage().contains("'not a field'"),
        noColon.getMessage());
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class, () -> Deb822.parse("Package: a\npackage: b\n"));
    assertTrue(twice.getMessage().contains("'package' appears twice"), twice.getMessage());
  }

  @Test
  void emptyInputHasNoStanzas() {
    assertEquals(0, Deb822.parse("\n\n  \n").size());
  }
}
