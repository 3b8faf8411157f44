package io.imagebuilder.arm.internal.boot;

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
 * Writes files into the rootfs from the host without ever following a symlink in the target
 * (a link such as {@code /etc -> /host/etc} would otherwise lead outside the rootfs).
 */
final class TargetFiles {
  private TargetFiles() {}

  /** The host path of {@code absolute} in {@code root}, refusing links on the way and {@code ..}. */
  static Path resolve(Path root, String absolute) throws IOException {
    if (!absolute.startsWith("/") || absolute.contains("/../") || absolute.endsWith("/..")) {
      throw new IllegalArgumentException("invalid target path '" + absolute + "' (expected an absolute path without '..')");
    }
    Path p = root;
    for (String part : absolute.substring(1).split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      p = p.resolve(part);
    }
    Path parent = p.getParent();
    for (Path q = parent; q != null && q.startsWith(root) && !q.equals(root); q = q.getParent()) {
      if (Files.isSymbolicLink(q)) {
        throw new IOException("refusing to write " + absolute + ": " + root.relativize(q) + " in the rootfs is a symlink");
      }
    }
    return p;
  }

  /** Writes the file; returns whether that changed it (it was missing, or had other bytes or mode). */
  static boolean write(Path root, String absolute, String content, String mode) throws IOException {
    Path p = resolve(root, absolute);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
    boolean same = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
        && Arrays.equals(Files.readAllBytes(p), bytes)
        && Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(permissions);
    Files.createDirectories(p.getParent());
    if (Files.isSymbolicLink(p)) {
      Files.delete(p);
    }
    Files.write(p, bytes);
    Files.setPosixFilePermissions(p, permissions);
    return !same;
  }

  static void mkdirs(Path root, String absolute) throws IOException {
    Files.createDirectories(resolve(root, absolute));
  }

  static void symlink(Path root, String absolute, String target) throws IOException {
    Path p = resolve(root, absolute);
    Files.createDirectories(p.getParent());
    Files.deleteIfExists(p);
    Files.createSymbolicLink(p, Path.of(target));
  }

  static boolean exists(Path root, String absolute) throws IOException {
    return Files.exists(resolve(root, absolute), LinkOption.NOFOLLOW_LINKS);
  }
}
