package io.imagebuilder.manifest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    Path file =
        RootfsFileWriter.write(
            root, "/usr/share/x/y.json", "{}\n".getBytes(StandardCharsets.UTF_8), 1_000L);

    assertEquals(root.toRealPath().resolve("usr/share/x/y.json"), file);
    assertEquals("{}\n", Files.readString(file));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    for (Path p : new Path[] {file, file.getParent(), root.resolve("usr/share")}) {
      assertEquals(1_000L, Files.getLastModifiedTime(p).toMillis() / 1000, p.toString());
    }
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "no temporary file left");
    }
  }

  @Test
  void aDirectoryLinkOutOfTheRootfsIsFollowedInsideIt() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root/usr"));
    root = temp.resolve("root");
    Path outside = Files.createDirectories(temp.resolve("host-share"));
    Files.createSymbolicLink(root.resolve("usr/share"), outside);

    Path written = RootfsFileWriter.write(root, "/usr/share/x/y.json", new byte[1], null);

    // the absolute link names a path of the image, as it would when the image runs
    assertEquals(
        root.toRealPath().resolve(outside.toString().substring(1)).resolve("x/y.json"), written);
    try (var files = Files.list(outside)) {
      assertEquals(0, files.count(), "nothing written on the host");
    }
  }

  @Test
  void aTargetThatIsASymlinkIsReplacedNotWrittenThrough() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("root/usr/share/x"));
    Path hostFile = Files.writeString(temp.resolve("host-file"), "host");
    Files.createSymbolicLink(dir.resolve("y.json"), hostFile);

    RootfsFileWriter.write(temp.resolve("root"), "/usr/share/x/y.json", new byte[] {7}, null);

    assertEquals("host", Files.readString(hostFile));
    assertTrue(Files.isRegularFile(dir.resolve("y.json"), LinkOption.NOFOLLOW_LINKS));
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(dir.resolve("y.json")));
  }

  @Test
  void rejectsPathsWithDotDot() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RootfsFileWriter.write(temp, "/usr/../../etc/passwd", new byte[1], null));
    assertTrue(
        e.getMessage().startsWith("invalid path in the rootfs '/usr/../../etc/passwd'"),
        e.getMessage());
  }
}
