package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeCopyTest {
  @TempDir Path dir;

  @Test
  void aCopyKeepsModesAndLinksAndIsIndependentOfTheOriginal() throws Exception {
    Path from = Files.createDirectories(dir.resolve("from/usr/bin"));
    Path tool = Files.writeString(from.resolve("tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(dir.resolve("from/bin"), Path.of("usr/bin"));

    Path to = dir.resolve("to");
    TreeCopy.copy(dir.resolve("from"), to);
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(to.resolve("usr/bin/tool"))));
    assertEquals(Path.of("usr/bin"), Files.readSymbolicLink(to.resolve("bin")));
    Files.writeString(to.resolve("usr/bin/tool"), "changed");
    assertEquals("#!/bin/sh\n", Files.readString(tool));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TreeCopy.copy(from, to));
    assertEquals(
        "invalid copy target '" + to + "' (expected a path that does not exist)", e.getMessage());
  }
}
