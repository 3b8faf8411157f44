package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.deb822.Deb822;
import org.junit.jupiter.api.Test;

class PackageRecordTest {

  private static final String LIBC =
      "Package: libc6\n"
          + "Source: glibc (2.36-9+deb12u4)\n"
          + "Version: 2.36-9+deb12u4+b1\n"
          + "Installed-Size: 12986\n"
          + "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
          + "Architecture: amd64\n"
          + "Multi-Arch: same\n"
          + "Replaces: libc6-amd64\n"
          + "Depends: libgcc-s1\n"
          + "Pre-Depends: debconf (>= 0.5) | debconf-2.0\n"
          + "Provides: libc6-x32-compat, libc-abi (= 2.36)\n"
          + "Description: GNU C Library: Shared libraries\n"
          + "Priority: optional\n"
          + "Section: libs\n"
          + "Filename: pool/main/g/glibc/libc6_2.36-9+deb12u4_amd64.deb\n"
          + "Size: 2756508\n"
          + "SHA256: D9C1E8AB0F6A7B5C2D3E4F5061728394A5B6C7D8E9F00112233445566778899A\n";

  @Test
  void readsAPackagesStanza() {
    PackageRecord r = PackageRecord.fromStanza(Deb822.parse(LIBC).get(0), "debian");
    assertEquals("libc6", r.name());
    assertEquals("2.36-9+deb12u4+b1", r.version().toString());
    assertEquals("amd64", r.architecture());
    assertEquals("same", r.multiArch());
    assertEquals("glibc", r.sourceName());
    assertEquals("2.36-9+deb12u4", r.sourceVersion().toString());
    assertEquals("optional", r.priority());
    assertFalse(r.essential());
    assertEquals("libgcc-s1", r.depends().get(0).toString());
    assertEquals("debconf (>= 0.5) | debconf-2.0", r.preDepends().get(0).toString());
    assertEquals("libc-abi (= 2.36)", r.provides().get(1).toString());
    assertEquals("pool/main/g/glibc/libc6_2.36-9+deb12u4_amd64.deb", r.filename());
    assertEquals(2756508L, r.size());
    assertEquals("d9c1e8ab0f6a7b5c2d3e4f5061728394a5b6c7d8e9f00112233445566778899a", r.sha256());
    assertEquals("debian", r.repository());
    assertEquals("2.36-9+deb12u4+b1", r.fieldValues()[PackageRecord.FIELDS.indexOf("Version")]);
  }

  @Test
  void sourceDefaultsToTheBinaryNameAndVersion() {
    PackageRecord r =
        PackageRecord.fromStanza(
            Deb822.parse(TestRepository.stanza("bash", "5.2.15-2+b2", "amd64", "Essential: yes"))
                .get(0),
            "d");
    assertEquals("bash", r.sourceName());
    assertEquals("5.2.15-2+b2", r.sourceVersion().toString());
    assertTrue(r.essential());
    assertEquals("no", r.multiArch());
    PackageRecord named =
        PackageRecord.fromStanza(
            Deb822.parse(TestRepository.stanza("libx", "1.0-1+b1", "amd64", "Source: x")).get(0),
            "d");
    assertEquals("x", named.sourceName());
    assertEquals("1.0-1+b1", named.sourceVersion().toString());
  }

  @Test
  void rejectsMissingFieldsNamingPackageAndField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PackageRecord.fromStanza(
                    Deb822.parse(LIBC.replaceAll("SHA256: .*\n", "")).get(0), "d"));
    assertEquals("package 'libc6': no SHA256 field", e.getMessage());
    IllegalArgumentException v =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PackageRecord.fromStanza(
                    Deb822.parse(LIBC.replace("Version: 2.36", "Version: x2.36")).get(0), "d"));
    assertTrue(
        v.getMessage().startsWith("package 'libc6': invalid Debian version 'x2.36-9+deb12u4+b1'"),
        v.getMessage());
  }

  @Test
  void aMalformedDependsFailsWhenUsedNamingPackageAndField() {
    PackageRecord r =
        PackageRecord.fromStanza(
            Deb822.parse(LIBC.replace("Depends: libgcc-s1", "Depends: libgcc-s1 [)")).get(0), "d");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::depends);
    assertTrue(
        e.getMessage()
            .startsWith("package 'libc6': invalid Depends: invalid relation 'libgcc-s1 [)'"),
        e.getMessage());
  }

  @Test
  void fieldValuesMakeAnEqualRecord() {
    PackageRecord r = PackageRecord.fromStanza(Deb822.parse(LIBC).get(0), "debian");
    PackageRecord again = PackageRecord.of(r.fieldValues(), "debian");
    assertEquals(r, again);
    assertEquals(r.hashCode(), again.hashCode());
    assertEquals(r.depends(), again.depends());
  }
}
