package io.imagebuilder.manifest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpkgStatusTest {
  @TempDir Path dir;

  @Test
  void readsInstalledPackagesSortedWithSourceAndVersion() throws IOException {
    List<DpkgStatus.Installed> packages = DpkgStatus.read(Fixtures.rootfs(dir));

    assertEquals(
        List.of(
            "base-files 12.4+deb12u5 amd64 src=base-files 12.4+deb12u5",
            "libc6 2.36-9+deb12u4 amd64 src=glibc 2.36-9+deb12u4",
            "libc6 2.36-9+deb12u4 i386 src=glibc 2.36-9+deb12u4",
            "libssl3 3.0.11-1~deb12u2+b1 amd64 src=openssl 3.0.11-1~deb12u2",
            "openssh-server 1:9.2p1-2+deb12u2 amd64 src=openssh 1:9.2p1-2+deb12u2",
            "tzdata 2024a-0+deb12u1 all src=tzdata 2024a-0+deb12u1"),
        packages.stream()
            .map(
                p ->
                    p.name()
                        + " "
                        + p.version()
                        + " "
                        + p.architecture()
                        + " src="
                        + p.source()
                        + " "
                        + p.sourceVersion())
            .toList());
    assertEquals("same", packages.get(1).multiArch());
  }

  @Test
  void leavesOutPackagesThatAreNotInstalled() throws IOException {
    List<DpkgStatus.Installed> packages = DpkgStatus.read(Fixtures.rootfs(dir));

    assertTrue(packages.stream().noneMatch(p -> p.name().equals("old-tool")));
  }

  @Test
  void missingStatusFileIsAClearError() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> DpkgStatus.read(dir));
    assertTrue(e.getMessage().contains("var/lib/dpkg/status"), e.getMessage());
  }

  @Test
  void statusFileThatIsASymlinkIsRefused() throws IOException {
    Files.createDirectories(dir.resolve("var/lib/dpkg"));
    Path elsewhere = Files.writeString(dir.resolve("host-status"), Fixtures.STATUS);
    Files.createSymbolicLink(dir.resolve("var/lib/dpkg/status"), elsewhere);

    assertThrows(NoSuchFileException.class, () -> DpkgStatus.read(dir));
  }

  @Test
  void recordWithoutVersionNamesThePackage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DpkgStatus.parse(
                    "Package: broken\nStatus: install ok installed\nArchitecture: amd64\n",
                    "fixture"));
    assertEquals(
        "installed package broken in fixture has no Version field (expected one)", e.getMessage());
  }

  @Test
  void malformedSourceFieldIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DpkgStatus.parse(
                    "Package: p\nStatus: install ok installed\nArchitecture: all\nVersion: 1\nSource: a b c\n",
                    "fixture"));
    assertTrue(e.getMessage().startsWith("invalid Source 'a b c' of package p"), e.getMessage());
  }
}
