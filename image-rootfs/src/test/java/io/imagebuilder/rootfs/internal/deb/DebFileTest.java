package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    Files.writeString(s.resolve("DEBIAN/control"), DebFixtures.control("hello"));
    Files.writeString(s.resolve("DEBIAN/postinst"), "#!/bin/sh\nexit 0\n");
    Files.writeString(s.resolve("DEBIAN/conffiles"), "/etc/hello.conf\nremove-on-upgrade /etc/old.conf\n");
    Files.writeString(s.resolve("DEBIAN/triggers"), "interest-noawait /usr/share/hello\n");
    Files.writeString(s.resolve("etc/hello.conf"), "x");
    Files.setPosixFilePermissions(
        s.resolve("DEBIAN/postinst"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return DebFixtures.dpkgDebBuild(s, tmp.resolve("hello.deb"), compression, true);
  }

  @ParameterizedTest
  @CsvSource({"gzip,data.tar.gz", "xz,data.tar.xz", "zstd,data.tar.zst", "none,data.tar"})
  void readsControlAndFindsDataInEachCompression(String compression, String member)
      throws Exception {
    DebFile deb = DebFile.open(build(compression));

    assertEquals("hello", deb.packageName());
    assertEquals("amd64", deb.architecture());
    assertEquals(DebFixtures.control("hello"), deb.controlText());
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
}
