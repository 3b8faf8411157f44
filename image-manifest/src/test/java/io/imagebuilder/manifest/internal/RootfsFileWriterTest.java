package io.imagebuilder.manifest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsFileWriterTest {
  @TempDir Path temp;

  @Test
  void writesTheFileWithMode0644AndTheGivenTimestamp() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root/usr/share"));
    root = temp.resolve("root");

    Path file = RootfsFileWriter.write(root, "/usr/share/x/y.json", "{}\n".getBytes(StandardCharsets.UTF_8), 1_000L);

    assertEquals(root.toRealPath().resolve("usr/share/x/y.json"), file);
    assertEquals("{}\n", Files.readString(file));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    for (Path p : new Path[] {file, file.getParent(), root.resolve("usr/share")}) {
      assertEquals(1_000L, Files.getLastModifiedTime(p).toMillis() / 1000, p.toString());
    }
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "no temporary file left");
    }
  }

  @Test
  void refusesADirectoryThatIsASymlinkOutOfTheRootfs() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root/usr"));
    root = temp.resolve("root");
    Path outside = Files.createDirectories(temp.resolve("host-share"));
    Files.createSymbolicLink(root.resolve("usr/share"), outside);
    Path rootfs = root;

    IOException e =
        assertThrows(IOException.class, () -> RootfsFileWriter.write(rootfs, "/usr/share/x/y.json", new byte[1], null));

    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    try (var files = Files.list(outside)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void refusesATargetThatIsASymlink() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("root/usr/share/x"));
    Path hostFile = Files.writeString(temp.resolve("host-file"), "host");
    Files.createSymbolicLink(dir.resolve("y.json"), hostFile);

    assertThrows(IOException.class, () -> RootfsFileWriter.write(temp.resolve("root"), "/usr/share/x/y.json", new byte[1], null));
    assertEquals("host", Files.readString(hostFile));
    assertTrue(Files.isSymbolicLink(dir.resolve("y.json")));
    assertFalse(Files.isRegularFile(dir.resolve("y.json"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void rejectsPathsWithDotDot() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RootfsFileWriter.write(temp, "/usr/../../etc/passwd", new byte[1], null));
    assertTrue(e.getMessage().startsWith("invalid path in the rootfs '/usr/../../etc/passwd'"), e.getMessage());
  }
}
