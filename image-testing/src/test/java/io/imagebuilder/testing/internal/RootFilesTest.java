package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootFilesTest {
  @TempDir Path dir;
  Path root;
  Path host;

  @BeforeEach
  void image() throws IOException {
    root = Files.createDirectories(dir.resolve("root"));
    host = Files.createDirectories(dir.resolve("host"));
    Files.writeString(host.resolve("secret"), "host secret");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/os-release"), "ID=debian\n");
    // An absolute link means the image's own /etc, never the host's.
    Files.createSymbolicLink(root.resolve("etc/os-link"), Path.of("/etc/os-release"));
    Files.createSymbolicLink(root.resolve("escape"), host.resolve("secret"));
  }

  @Test
  void aFileIsReadAsTheImageSeesItThroughItsOwnLinks() throws IOException {
    assertEquals(
        "ID=debian\n", new String(RootFiles.read(root, "/etc/os-link"), StandardCharsets.UTF_8));
    Path out = dir.resolve("copied");
    RootFiles.copyOut(root, "/etc/os-link", out);
    assertEquals("ID=debian\n", Files.readString(out));
  }

  @Test
  void nothingOutsideTheRootIsReadOrWritten() throws IOException {
    assertThrows(
        NoSuchFileException.class,
        () -> RootFiles.read(root, "/escape"),
        "a link to a host path is resolved inside the image, where it does not exist");
    IllegalArgumentException dots =
        assertThrows(
            IllegalArgumentException.class, () -> RootFiles.read(root, "/etc/../../host/secret"));
    assertEquals(
        "invalid image path '/etc/../../host/secret' (expected an absolute path without ..)",
        dots.getMessage());
    Path mine = Files.writeString(dir.resolve("mine"), "from the test");
    RootFiles.copyIn(root, mine, "/escape");
    assertEquals(
        "host secret",
        Files.readString(host.resolve("secret")),
        "the link is replaced, not followed");
    assertEquals("from the test", Files.readString(root.resolve("escape")));
    assertFalse(Files.isSymbolicLink(root.resolve("escape")));
  }

  @Test
  void copyingInMakesTheMissingDirectories() throws IOException {
    Path mine = Files.writeString(dir.resolve("unit"), "[Unit]\n");
    RootFiles.copyIn(root, mine, "/etc/systemd/system/demo.service");
    assertEquals("[Unit]\n", Files.readString(root.resolve("etc/systemd/system/demo.service")));
    assertTrue(Files.isDirectory(root.resolve("etc/systemd")));
    assertThrows(IllegalArgumentException.class, () -> RootFiles.copyIn(root, mine, "/etc"));
    assertThrows(IllegalArgumentException.class, () -> RootFiles.copyIn(root, dir, "/x"));
  }
}
