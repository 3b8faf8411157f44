package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.rootfs.testing.Debs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebFileTest {
  @TempDir Path tmp;

  private Path build(String compression) throws Exception {
    Path s = tmp.resolve("staging");
    Files.createDirectories(s.resolve("DEBIAN"));
    Files.createDirectories(s.resolve("etc"));
    Files.writeString(s.resolve("DEBIAN/control"), Debs.control("hello"));
    Files.writeString(s.resolve("DEBIAN/postinst"), "#!/bin/sh\nexit 0\n");
    Files.writeString(
        s.resolve("DEBIAN/conffiles"), "/etc/hello.conf\nremove-on-upgrade /etc/old.conf\n");
    Files.writeString(s.resolve("DEBIAN/triggers"), "interest-noawait /usr/share/hello\n");
    Files.writeString(s.resolve("etc/hello.conf"), "x");
    Files.setPosixFilePermissions(
        s.resolve("DEBIAN/postinst"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return Debs.dpkgDebBuild(s, tmp.resolve("hello.deb"), compression, true);
  }

  @ParameterizedTest
  @CsvSource({"gzip,data.tar.gz", "xz,data.tar.xz", "zstd,data.tar.zst", "none,data.tar"})
  void readsControlAndFindsDataInEachCompression(String compression, String member)
      throws Exception {
    DebFile deb = DebFile.open(build(compression));

    assertEquals("hello", deb.packageName());
    assertEquals("amd64", deb.architecture());
    assertEquals(Debs.control("hello"), deb.controlText());
    assertEquals(" long text", deb.control().get("description").orElseThrow().split("\n")[1]);
    assertArrayEquals(
        "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8),
        deb.controlFile("postinst").orElseThrow());
    assertEquals(List.of("/etc/hello.conf"), deb.conffiles());
    assertEquals(member, deb.dataMember());
    try (var data = deb.openData()) {
      List<String> names = new java.util.ArrayList<>();
      for (var e = data.getNextEntry(); e != null; e = data.getNextEntry()) {
        names.add(e.getName());
      }
      assertEquals(List.of("./", "./etc/", "./etc/hello.conf"), names);
    }
  }

  @Test
  void rejectsAFileThatIsNotADeb() throws Exception {
    Path notDeb = Files.writeString(tmp.resolve("x.deb"), "!<arch>\nnot really");
    DebFormatException e = assertThrows(DebFormatException.class, () -> DebFile.open(notDeb));
    assertTrue(e.getMessage().contains(notDeb.toString()), e.getMessage());
  }

  @Test
  void aTruncatedDebSaysSoWithItsSizes() throws Exception {
    Path whole = build("gzip");
    byte[] bytes = Files.readAllBytes(whole);
    for (int cut : new int[] {bytes.length - 10, bytes.length / 2, 400, 200}) {
      Path cutDeb =
          Files.write(tmp.resolve("cut" + cut + ".deb"), java.util.Arrays.copyOf(bytes, cut));
      DebFormatException e = assertThrows(DebFormatException.class, () -> DebFile.open(cutDeb));
      assertTrue(
          e.getMessage().startsWith(cutDeb + " is truncated: its data.tar ends at byte ")
                  && e.getMessage().endsWith(" but the file has " + cut + " bytes")
              || e.getMessage()
                  .equals(
                      "cannot read "
                          + cutDeb
                          + ": it ends early (truncated or damaged, "
                          + cut
                          + " bytes)")
              || e.getMessage().equals("cannot read " + cutDeb + ": Truncated ar archive"),
          e.getMessage());
      assertTrue(!e.getMessage().contains("null"), e.getMessage());
    }
  }

  @Test
  void refusesAControlArchiveThatUnpacksToMoreThanTheBound() throws Exception {
    Path s = tmp.resolve("bomb");
    Files.createDirectories(s.resolve("DEBIAN"));
    Files.writeString(s.resolve("DEBIAN/control"), Debs.control("bomb"));
    try (var ch =
        java.nio.channels.FileChannel.open(
            s.resolve("DEBIAN/templates"),
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(
          java.nio.ByteBuffer.wrap(new byte[] {'x'}),
          DebFile.MAX_CONTROL_BYTES); // sparse, compresses to little
    }
    Path deb = Debs.dpkgDebBuild(s, tmp.resolve("bomb.deb"), "gzip", true);
    DebFormatException e = assertThrows(DebFormatException.class, () -> DebFile.open(deb));
    assertEquals(
        deb
            + " has a control.tar.gz larger than 64 MiB unpacked (expected a few kilobytes of control files)",
        e.getMessage());
  }
}
