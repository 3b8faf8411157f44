package io.imagebuilder.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeDeleteTest {
  @TempDir Path temp;

  @Test
  void aTreeIsDeletedWithoutFollowingLinksOutOfIt() throws IOException {
    Path outside = Files.writeString(temp.resolve("outside"), "keep");
    Path keptDir = Files.createDirectories(temp.resolve("kept"));
    Files.writeString(keptDir.resolve("f"), "keep");
    Path root = Files.createDirectories(temp.resolve("root/a/b"));
    Files.writeString(root.resolve("file"), "x");
    Files.createSymbolicLink(root.resolve("to-file"), outside);
    Files.createSymbolicLink(root.resolve("to-dir"), keptDir);

    assertEquals(List.of(), SafeDelete.deleteTree(temp.resolve("root")));

    assertFalse(Files.exists(temp.resolve("root"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep", Files.readString(outside));
    assertTrue(Files.exists(keptDir.resolve("f")));
  }

  @Test
  void aMissingTreeIsNothingAndAFileOrLinkIsDeletedItself() throws IOException {
    assertEquals(List.of(), SafeDelete.deleteTree(temp.resolve("none")));
    Path target = Files.createDirectories(temp.resolve("target"));
    Path link = Files.createSymbolicLink(temp.resolve("link"), target);
    SafeDelete.deleteTreeOrThrow(link);
    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isDirectory(target), "the link's target is not the link");
  }

  @Test
  void aMountPointInsideIsLeftWithItsContentAndReported() throws IOException {
    Path root = Files.createDirectories(temp.resolve("rootfs"));
    Path dev = Files.createDirectories(root.resolve("dev"));
    Files.writeString(dev.resolve("null"), "host device");
    Files.writeString(Files.createDirectories(root.resolve("etc")).resolve("hostname"), "h");
    SafeDelete.Devices devices = p -> p.startsWith(dev) ? "host" : "image";

    assertEquals(List.of(dev), SafeDelete.deleteTree(root, devices));

    assertEquals("host device", Files.readString(dev.resolve("null")));
    assertFalse(Files.exists(root.resolve("etc")));
  }

  @Test
  void deleteTreeOrThrowFailsNamingAMountPointItLeft() throws IOException {
    Path mnt = Files.createDirectories(temp.resolve("work/mnt"));
    Files.writeString(mnt.resolve("data"), "other filesystem");

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                SafeDelete.deleteTreeOrThrow(temp.resolve("work"), p -> p.startsWith(mnt) ? 2 : 1));

    assertTrue(e.getMessage().contains(mnt.toString()), e.getMessage());
    assertTrue(Files.exists(mnt.resolve("data")));
  }

  @Test
  void theRealDeviceCheckDeletesATreeOnOneFilesystem() throws IOException {
    Files.createDirectories(temp.resolve("plain/a/b"));
    SafeDelete.deleteTreeOrThrow(temp.resolve("plain"));
    assertFalse(Files.exists(temp.resolve("plain")));
  }

  @Test
  void deleteFilesKeepsTheDirectoriesAndLeavesAMountPoint() throws IOException {
    Path log = Files.createDirectories(temp.resolve("var/log/apt"));
    Files.writeString(log.resolve("history.log"), "x");
    Files.createSymbolicLink(temp.resolve("var/log/link"), temp.resolve("elsewhere"));
    Path mnt = Files.createDirectories(temp.resolve("var/log/mnt"));
    Files.writeString(mnt.resolve("kept"), "other filesystem");

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                SafeDelete.deleteFilesOrThrow(
                    temp.resolve("var/log"), p -> p.startsWith(mnt) ? 2 : 1));

    assertTrue(e.getMessage().contains(mnt.toString()), e.getMessage());
    assertTrue(Files.isDirectory(log), "directories stay");
    assertFalse(Files.exists(log.resolve("history.log")));
    assertFalse(Files.exists(temp.resolve("var/log/link"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(mnt.resolve("kept")));
    SafeDelete.deleteFilesOrThrow(temp.resolve("no-such-dir"));
  }
}
