package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsFilesTest {
  @TempDir Path temp;

  @Test
  void followsRelativeLinksOfTheImage() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Files.createDirectories(root.resolve("usr/lib"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    RootfsFiles.writeText(root, "/lib/systemd/system/x.service", "[Unit]\n");
    assertTrue(Files.isRegularFile(root.resolve("usr/lib/systemd/system/x.service")));
  }

  @Test
  void absoluteLinksResolveInsideTheRootfs() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path hostEtc = Files.createDirectories(temp.resolve("host-etc"));
    Files.createDirectories(root.resolve("srv/etc"));
    Files.createSymbolicLink(root.resolve("etc"), Path.of("/srv/etc"));
    Files.createSymbolicLink(root.resolve("escape"), hostEtc);
    RootfsFiles.writeText(root, "/etc/hostname", "box\n");
    assertEquals("box\n", Files.readString(root.resolve("srv/etc/hostname")));
    // An absolute link to a host path is re-rooted: it names a path inside the image, not the
    // host's.
    RootfsFiles.writeText(root, "/escape/file", "x");
    assertFalse(Files.exists(hostEtc.resolve("file")), "nothing is written through to the host");
    assertTrue(Files.exists(root.resolve(hostEtc.toString().substring(1)).resolve("file")));
  }

  @Test
  void dotDotLinksCannotLeaveTheRootfs() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../.."));
    RootfsFiles.writeText(root, "/up/f", "x");
    assertTrue(Files.exists(root.resolve("f")), "'..' above / stays at /");
  }

  @Test
  void replacesASymlinkAtTheTargetInsteadOfWritingThroughIt() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path outside = Files.writeString(temp.resolve("outside"), "precious");
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/motd"), outside);
    RootfsFiles.writeText(root, "/etc/motd", "hello");
    assertEquals("precious", Files.readString(outside));
    assertEquals("hello", Files.readString(root.resolve("etc/motd")));
  }

  @Test
  void setsTheMode() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path f = RootfsFiles.write(root, "/usr/local/bin/tool", new byte[] {1}, 0750);
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void rejectsRelativeAndDotDotPaths() {
    assertThrows(IllegalArgumentException.class, () -> RootfsFiles.writeText(temp, "etc/x", ""));
    assertThrows(
        IllegalArgumentException.class, () -> RootfsFiles.writeText(temp, "/etc/../../x", ""));
  }
}
