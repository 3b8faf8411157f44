package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.internal.io.RootfsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files into a rootfs from the host side. Paths are image paths ({@code /etc/hostname}),
 * resolved by {@link RootfsPaths} (links on the way followed inside the rootfs), so a file can
 * never be written outside the rootfs through a link the image contains; a link at the name itself
 * is replaced.
 */
final class RootfsFiles {
  private RootfsFiles() {}

  /** Writes {@code content} atomically with {@code mode}; parent directories are created 0755. */
  static Path write(Path rootfs, String imagePath, byte[] content, int mode) throws IOException {
    Path target = RootfsPaths.resolve(rootfs, imagePath);
    RootfsPaths.createDirectories(rootfs, target.getParent());
    if (Files.isSymbolicLink(target)) {
      Files.delete(target); // replace the link itself, never write through it
    }
    Path temp = target.resolveSibling("." + target.getFileName() + ".imagebuilder-tmp");
    Files.write(temp, content);
    Files.setPosixFilePermissions(temp, permissions(mode));
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  static Path writeText(Path rootfs, String imagePath, String content) throws IOException {
    return write(
        rootfs, imagePath, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0644);
  }

  /** rwx bits only; setuid and friends are not for files the builder writes. */
  static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder sb = new StringBuilder();
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    return PosixFilePermissions.fromString(sb.toString());
  }
}
