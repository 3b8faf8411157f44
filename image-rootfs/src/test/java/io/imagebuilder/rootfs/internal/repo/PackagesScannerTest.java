package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.Stanza;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackagesScannerTest {

  private static final String INDEX =
      "Package: libc6\n"
          + "Source: glibc (2.36-9+deb12u4)\n"
          + "Version: 2.36-9+deb12u4+b1\n"
          + "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
          + "architecture: amd64\n"
          + "Multi-Arch: same\n"
          + "Depends: libgcc-s1\n"
          + "Description: GNU C Library: Shared libraries\n"
          + " Contains the standard libraries that are used by nearly all programs on\n"
          + " .\n"
          + " the system.\n"
          + "Provides: libc6-x32-compat,\n"
          + " libc-abi (= 2.36)   \n"
          + "Filename: pool/main/g/glibc/libc6_2.36-9+deb12u4_amd64.deb\n"
          + "Size: 2756508\n"
          + "SHA256: d9c1e8ab0f6a7b5c2d3e4f5061728394a5b6c7d8e9f00112233445566778899a\n"
          + "\n"
          + " \t\n"
          + "# a comment line\n"
          + "Package: bash\r\n"
          + "Essential: yes\r\n"
          + "Version:\t5.2.15-2+b2\r\n"
          + "Architecture: amd64\r\n"
          + "Filename: pool/main/b/bash/bash_5.2.15-2+b2_amd64.deb\r\n"
          + "Size: 1\r\n"
          + "SHA256: "
          + "ab".repeat(32); // no newline at the end

  @Test
  void keepsTheRecordFieldsAsDeb822ReadsThem() throws IOException {
    List<String[]> scanned = scan(new ByteArrayInputStream(bytes(INDEX)));
    List<Stanza> parsed = Deb822.parse(INDEX);
    assertEquals(2, scanned.size());
    for (int i = 0; i < parsed.size(); i++) {
      String[] expected = new String[PackageRecord.FIELDS.size()];
      for (int f = 0; f < expected.length; f++) {
        expected[f] = parsed.get(i).get(PackageRecord.FIELDS.get(f));
      }
      assertArrayEquals(expected, scanned.get(i), "stanza " + i);
    }
    String[] libc = scanned.get(0);
    assertEquals(
        "libc6-x32-compat,\n libc-abi (= 2.36)", libc[PackageRecord.FIELDS.indexOf("Provides")]);
    assertNull(libc[PackageRecord.FIELDS.indexOf("Essential")]);
    assertEquals("5.2.15-2+b2", scanned.get(1)[PackageRecord.FIELDS.indexOf("Version")]);
    PackageRecord bash = PackageRecord.of(scanned.get(1), "d");
    assertEquals(true, bash.essential());
  }

  @Test
  void readsTheSameWhateverTheReadSizesAndLongLines() throws IOException {
    String longDepends = "a" + ", b".repeat(50_000);
    String index = INDEX.replace("Depends: libgcc-s1", "Depends: " + longDepends);
    InputStream trickle =
        new FilterInputStream(new ByteArrayInputStream(bytes(index))) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 7));
          }
        };
    List<String[]> scanned = scan(trickle);
    assertEquals(longDepends, scanned.get(0)[PackageRecord.FIELDS.indexOf("Depends")]);
    assertEquals("bash", scanned.get(1)[0]);
  }

  @Test
  void malformedInputNamesTheLine() {
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> scan(new ByteArrayInputStream(bytes("Package: a\nVersion: 1\npackage: b\n"))));
    assertEquals("line 3: field 'package' appears twice in one stanza", twice.getMessage());
    IllegalArgumentException noColon =
        assertThrows(
            IllegalArgumentException.class,
            () -> scan(new ByteArrayInputStream(bytes("Package: a\nno colon here\n"))));
    assertEquals("line 2: expected 'Name: value', got 'no colon here'", noColon.getMessage());
    IllegalArgumentException orphan =
        assertThrows(
            IllegalArgumentException.class,
            () -> scan(new ByteArrayInputStream(bytes("Package: a\n\n continued\n"))));
    assertEquals("line 3: continuation line without a field: ' continued'", orphan.getMessage());
  }

  @Test
  void anEmptyIndexHasNoStanzas() throws IOException {
    assertEquals(0, scan(new ByteArrayInputStream(bytes("\n\n# nothing\n"))).size());
  }

  private static List<String[]> scan(InputStream in) throws IOException {
    List<String[]> out = new ArrayList<>();
    PackagesScanner.scan(in, out::add);
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
