package io.imagebuilder.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsPathsTest {
  @TempDir Path temp;

  @Test
  void relativeLinksOnTheWayAreFollowedAsTheImageWould() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Files.createDirectories(root.resolve("usr/lib"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    assertEquals(
        root.resolve("usr/lib/systemd/x.service"),
        RootfsPaths.resolve(root, "/lib/systemd/x.service"));
  }

  @Test
  void absoluteLinksAndDotDotStayInsideTheRootfs() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path hostEtc = Files.createDirectories(temp.resolve("host-etc"));
    Files.createSymbolicLink(root.resolve("etc"), Path.of("/srv/etc"));
    Files.createSymbolicLink(root.resolve("escape"), hostEtc);
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../.."));
    assertEquals(root.resolve("srv/etc/hostname"), RootfsPaths.resolve(root, "/etc/hostname"));
    // an absolute link to a host path is re-rooted: it names a path inside the image
    assertEquals(
        root.resolve(hostEtc.toString().substring(1)).resolve("f"),
        RootfsPaths.resolve(root, "/escape/f"));
    assertEquals(root.resolve("f"), RootfsPaths.resolve(root, "/up/f"), "'..' above / stays at /");
  }

  @Test
  void theLastComponentIsNotFollowedUnlessAsked() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path host = Files.writeString(temp.resolve("host.gpg"), "the host's");
    Files.createDirectories(root.resolve("usr/share/keyrings"));
    Files.createDirectories(root.resolve("etc/apt/keyrings"));
    Path real = Files.writeString(root.resolve("usr/share/keyrings/a.gpg"), "the image's");
    Files.createSymbolicLink(
        root.resolve("etc/apt/keyrings/relative.gpg"),
        Path.of("../../../usr/share/keyrings/a.gpg"));
    Files.createSymbolicLink(
        root.resolve("etc/apt/keyrings/absolute.gpg"), Path.of("/usr/share/keyrings/a.gpg"));
    Files.createSymbolicLink(root.resolve("etc/apt/keyrings/host.gpg"), host);

    assertEquals(
        root.resolve("etc/apt/keyrings/relative.gpg"),
        RootfsPaths.resolve(root, "/etc/apt/keyrings/relative.gpg"));
    assertEquals(real, RootfsPaths.resolveFollowing(root, "/etc/apt/keyrings/relative.gpg"));
    assertEquals(real, RootfsPaths.resolveFollowing(root, "/etc/apt/keyrings/absolute.gpg"));
    assertEquals(
        root.resolve(host.toString().substring(1)),
        RootfsPaths.resolveFollowing(root, "/etc/apt/keyrings/host.gpg"),
        "a link to a host path names that path in the image");
  }

  @Test
  void aLoopOfLinksFails() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    assertThrows(IOException.class, () -> RootfsPaths.resolveFollowing(root, "/loop"));
    assertThrows(IOException.class, () -> RootfsPaths.resolve(root, "/loop/x"));
  }

  @Test
  void relativeAndDotDotPathsAreCallerMistakes() {
    assertThrows(IllegalArgumentException.class, () -> RootfsPaths.resolve(temp, "etc/x"));
    assertThrows(IllegalArgumentException.class, () -> RootfsPaths.resolve(temp, "/etc/../../x"));
  }

  @Test
  void missingDirectoriesAreCreated0755OutermostFirst() throws IOException {
    Path root = Files.createDirectories(temp.resolve("root"));
    Files.createDirectories(root.resolve("usr"));
    Path dir = RootfsPaths.resolve(root, "/usr/share/x/y").getParent();

    List<Path> created = RootfsPaths.createDirectories(root, dir);

    assertEquals(List.of(root.resolve("usr/share"), root.resolve("usr/share/x")), created);
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals(List.of(), RootfsPaths.createDirectories(root, dir));
  }
}
