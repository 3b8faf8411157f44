package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class InstalledVersionsTest {
  private static final String STATUS =
      String.join(
          "\n",
          "Package: coreutils",
          "Essential: yes",
          "Status: install ok installed",
          "Version: 9.1-1",
          "",
          "Package: util-linux",
          "Status: install ok installed",
          "Version: 1:2.38.1-5+deb12u3",
          "",
          "Package: sed",
          "Status: deinstall ok config-files",
          "Version: 4.9-1",
          "",
          "Package: grep",
          "Status: install ok unpacked",
          "Version: 3.8-5",
          "");

  @Test
  void upstreamVersionsOfPackagesWhoseFilesAreInPlace() {
    InstalledVersions v = InstalledVersions.parse(STATUS);
    assertEquals("9.1", v.upstream("coreutils"));
    assertEquals("2.38.1", v.upstream("util-linux"));
    assertNull(v.upstream("sed"), "removed, only its configuration left");
    assertEquals("3.8", v.upstream("grep"), "unpacked, not yet configured: its files are there");
    assertNull(v.upstream("findutils"));
  }

  @Test
  void theUpstreamPartDropsEpochAndDebianRevisionOnly() {
    assertEquals("0.5.12", InstalledVersions.upstreamOf("0.5.12-2"));
    assertEquals("1.2-3", InstalledVersions.upstreamOf("2:1.2-3-4"));
    assertEquals("1.0", InstalledVersions.upstreamOf("1.0"));
  }
}
