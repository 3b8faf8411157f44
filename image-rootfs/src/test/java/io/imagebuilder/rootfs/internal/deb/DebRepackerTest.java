package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.UnsafePackageException;
import io.imagebuilder.rootfs.testing.Debs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DebRepackerTest {
  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"xz", "zstd", "gzip"})
  void repackedDebHasTheSameContentsAndControlWithAnUncompressedDataTar(String compression)
      throws Exception {
    Path original = fixture(compression);
    Path repacked = temp.resolve("repacked.deb");
    DebRepacker.repack(original, repacked, false, null);
    assertSamePackage(original, repacked, "data.tar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"xz", "gzip"})
  void repackedDebWithAFastZstdDataMemberHasTheSameContents(String compression) throws Exception {
    Path original = fixture(compression);
    Path repacked = temp.resolve("repacked.deb");
    DebRepacker.repack(original, repacked, true, null);
    assertSamePackage(original, repacked, "data.tar.zst");
  }

  private void assertSamePackage(Path original, Path repacked, String dataMember) throws Exception {
    List<String> before = members(original);
    String control = before.get(1);
    assertTrue(
        before.get(2).startsWith("data.tar.") && control.startsWith("control.tar"),
        before.toString());
    assertEquals(List.of("debian-binary", control, dataMember), members(repacked));
    assertEquals(member(original, "debian-binary"), member(repacked, "debian-binary"));
    assertEquals(
        member(original, control),
        member(repacked, control),
        "the control member is kept byte for byte");
    assertEquals(dpkgDeb("--contents", original), dpkgDeb("--contents", repacked));
    assertEquals(infoWithoutSizes(original), infoWithoutSizes(repacked));
    assertEquals(dpkgDeb("--field", original), dpkgDeb("--field", repacked));
    assertArrayEquals(
        fsysTarfile(original), fsysTarfile(repacked), "the same data.tar, uncompressed");
    DebFile reread = DebFile.open(repacked);
    assertEquals(dataMember, reread.dataMember());
    assertEquals("tool", reread.packageName());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void checkingOnTheWayWritesTheSamePackage(boolean zstd) throws Exception {
    Path original = fixture("xz");
    Path plain = temp.resolve("plain.deb");
    Path checked = temp.resolve("checked.deb");
    DebRepacker.repack(original, plain, zstd, null);
    DebRepacker.repack(original, checked, zstd, DebCheck.dataEntries(DebFile.open(original)));
    assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(checked));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void emptyingADirectorysFilesKeepsEveryEntryAndEveryOtherByte(boolean zstd) throws Exception {
    Path original = fixture("xz");
    Path repacked = temp.resolve("repacked.deb");
    List<DebRepacker.Listed> listing =
        DebRepacker.repack(original, repacked, zstd, DebCheck.dataEntries(DebFile.open(original)));
    assertTrue(listing.contains(new DebRepacker.Listed("/usr/share/tool/blob", false, null)));
    Path emptied = temp.resolve("emptied.deb");
    DebRepacker.emptyFilesBelow(repacked, emptied, zstd, "/usr/share/tool");
    String before = dpkgDeb("--contents", original).replaceAll(" +", " ");
    String after = dpkgDeb("--contents", emptied).replaceAll(" +", " ");
    assertTrue(before.contains(" 300001 "), before);
    assertEquals(before.replace(" 300001 ", " 0 "), after, "every entry kept, the blob emptied");
    assertEquals(dpkgDeb("--field", original), dpkgDeb("--field", emptied));
  }

  @Test
  void aRefusedEntryStopsTheRepackNamingPackageAndEntryAndLeavesNoFile() throws Exception {
    Path hostile =
        Debs.rawDeb(
            temp.resolve("evil_1.0_amd64.deb"),
            "evil",
            List.of(
                Debs.Entry.dir("./"),
                Debs.Entry.file("./usr/ok", "fine"),
                Debs.Entry.file("./usr/../../tmp/x", "escaped")));
    Path out = temp.resolve("out.deb");
    UnsafePackageException e =
        assertThrows(
            UnsafePackageException.class,
            () ->
                DebRepacker.repack(
                    hostile, out, true, DebCheck.dataEntries(DebFile.open(hostile))));
    assertTrue(
        e.getMessage().contains("evil") && e.getMessage().contains("./usr/../../tmp/x"),
        e.getMessage());
    assertTrue(Files.notExists(out), "nothing half-written is left");
  }

  @Test
  void refusesAFileWithoutDataMember() throws Exception {
    Path notDeb = temp.resolve("not.deb");
    Files.write(notDeb, "!<arch>\n".getBytes(StandardCharsets.US_ASCII));
    Path out = temp.resolve("out.deb");
    DebFormatException e =
        assertThrows(DebFormatException.class, () -> DebRepacker.repack(notDeb, out, false, null));
    assertTrue(e.getMessage().contains("no data.tar member"), e.getMessage());
    assertTrue(Files.notExists(out), "nothing half-written is left");
  }

  /** A package with text, an odd-sized binary, a symlink and an empty directory. */
  private Path fixture(String compression) throws Exception {
    Path staging = temp.resolve("staging");
    Files.createDirectories(staging.resolve("DEBIAN"));
    Files.writeString(
        staging.resolve("DEBIAN/control"), Debs.control("tool").replace("1.0", "2.0-1"));
    Files.writeString(staging.resolve("DEBIAN/postinst"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(
        staging.resolve("DEBIAN/postinst"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(staging.resolve("usr/bin"));
    Files.writeString(staging.resolve("usr/bin/tool"), "#!/bin/sh\necho tool\n");
    byte[] blob = new byte[300_001];
    new Random(7).nextBytes(blob);
    Files.createDirectories(staging.resolve("usr/share/tool"));
    Files.write(staging.resolve("usr/share/tool/blob"), blob);
    Files.createSymbolicLink(staging.resolve("usr/bin/tool2"), Path.of("tool"));
    Files.createDirectories(staging.resolve("var/lib/tool"));
    return Debs.dpkgDebBuild(staging, temp.resolve("tool_2.0-1_amd64.deb"), compression, true);
  }

  private static List<String> members(Path deb) throws IOException {
    List<String> names = new ArrayList<>();
    try (ArArchiveInputStream ar = new ArArchiveInputStream(Files.newInputStream(deb))) {
      for (ArArchiveEntry e = ar.getNextEntry(); e != null; e = ar.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }

  private static String member(Path deb, String name) throws IOException {
    try (ArArchiveInputStream ar = new ArArchiveInputStream(Files.newInputStream(deb))) {
      for (ArArchiveEntry e = ar.getNextEntry(); e != null; e = ar.getNextEntry()) {
        if (e.getName().equals(name)) {
          return java.util.HexFormat.of().formatHex(ar.readAllBytes());
        }
      }
    }
    throw new IOException(deb + " has no " + name);
  }

  /** dpkg-deb --info without its second line, the package's size (which repacking changes). */
  private static String infoWithoutSizes(Path deb) throws Exception {
    List<String> lines = new ArrayList<>(dpkgDeb("--info", deb).lines().toList());
    assertTrue(lines.get(1).startsWith(" size "), lines.get(1));
    lines.remove(1);
    return String.join("\n", lines);
  }

  private static String dpkgDeb(String action, Path deb) throws Exception {
    return Debs.run(List.of("dpkg-deb", action, deb.toString()));
  }

  private static byte[] fsysTarfile(Path deb) throws Exception {
    Process p = new ProcessBuilder("dpkg-deb", "--fsys-tarfile", deb.toString()).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertEquals(0, p.waitFor());
    return out.toByteArray();
  }
}
