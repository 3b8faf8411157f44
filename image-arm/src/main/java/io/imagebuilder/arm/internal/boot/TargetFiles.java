package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.internal.io.RootfsPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Writes files into the rootfs from the host. Paths resolve through {@link RootfsPaths}: a link on
 * the way (such as {@code /etc -> /host/etc}) is followed inside the rootfs, never out of it; a
 * link at the name itself is replaced, never written through.
 */
final class TargetFiles {
  private TargetFiles() {}

  /** The host path of {@code absolute} in {@code root}, as {@link RootfsPaths#resolve} finds it. */
  static Path resolve(Path root, String absolute) throws IOException {
    return RootfsPaths.resolve(root, absolute);
  }

  /**
   * Writes the file; returns whether that changed it (it was missing, or had other bytes or mode).
   */
  static boolean write(Path root, String absolute, String content, String mode) throws IOException {
    Path p = resolve(root, absolute);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
    boolean same =
        Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            && Arrays.equals(Files.readAllBytes(p), bytes)
            && Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(permissions);
    RootfsPaths.createDirectories(root, p.getParent());
    if (Files.isSymbolicLink(p)) {
      Files.delete(p);
    }
    Files.write(p, bytes);
    Files.setPosixFilePermissions(p, permissions);
    return !same;
  }

  static void mkdirs(Path root, String absolute) throws IOException {
    RootfsPaths.createDirectories(root, resolve(root, absolute));
  }

  static void symlink(Path root, String absolute, String target) throws IOException {
    Path p = resolve(root, absolute);
    RootfsPaths.createDirectories(root, p.getParent());
    Files.deleteIfExists(p);
    Files.createSymbolicLink(p, Path.of(target));
  }

  static boolean exists(Path root, String absolute) throws IOException {
    return Files.exists(resolve(root, absolute), LinkOption.NOFOLLOW_LINKS);
  }
}
