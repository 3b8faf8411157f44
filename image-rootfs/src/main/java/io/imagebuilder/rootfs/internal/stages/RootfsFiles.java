package io.imagebuilder.rootfs.internal.stages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files into a rootfs from the host side. Paths are image paths ({@code /etc/hostname});
 * a path whose parent inside the rootfs is a symlink is refused, so a file can never be written
 * outside the rootfs through a link the image contains.
 */
final class RootfsFiles {
  private RootfsFiles() {}

  /**
   * The host path of {@code imagePath} inside {@code rootfs}, with symlinks of the image followed
   * as if the rootfs were {@code /} (so {@code /lib -> usr/lib} works and {@code /etc -> /etc}
   * stays inside). The last component is not followed.
   */
  static Path resolve(Path rootfs, String imagePath) throws IOException {
    if (!imagePath.startsWith("/") || ("/" + imagePath + "/").contains("/../")) {
      throw new IllegalArgumentException("invalid image path '" + imagePath + "' (expected an absolute path without ..)");
    }
    String[] parts = imagePath.substring(1).split("/");
    Path dir = rootfs;
    int hops = 0;
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(java.util.Arrays.asList(parts));
    while (todo.size() > 1) {
      String name = todo.pop();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      Path next = name.equals("..") ? (dir.equals(rootfs) ? rootfs : dir.getParent()) : dir.resolve(name);
      if (Files.isSymbolicLink(next)) {
        if (++hops > 40) {
          throw new IOException("too many symlinks resolving " + imagePath + " in the image");
        }
        String target = Files.readSymbolicLink(next).toString();
        java.util.List<String> expanded = new java.util.ArrayList<>(java.util.Arrays.asList(target.split("/")));
        if (target.startsWith("/")) {
          dir = rootfs;
        }
        for (int i = expanded.size() - 1; i >= 0; i--) {
          todo.push(expanded.get(i));
        }
        continue;
      }
      dir = next;
    }
    Path p = dir.resolve(todo.pop()).normalize();
    if (!p.startsWith(rootfs)) {
      throw new IOException("image path '" + imagePath + "' leaves the rootfs");
    }
    return p;
  }

  /**
   * Like {@link #resolve}, but a symlink in the last component is followed too, inside the image:
   * the host path of what the image itself would read at {@code imagePath}.
   */
  static Path resolveFollowing(Path rootfs, String imagePath) throws IOException {
    Path p = resolve(rootfs, imagePath);
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops >= 40) {
        throw new IOException("too many symlinks resolving " + imagePath + " in the image");
      }
      String target = Files.readSymbolicLink(p).toString();
      // The parent was resolved already: a ".." in the link goes up from that real directory.
      java.util.Deque<String> parts = new java.util.ArrayDeque<>();
      if (!target.startsWith("/")) {
        for (Path part : rootfs.relativize(p.getParent())) {
          if (!part.toString().isEmpty()) {
            parts.addLast(part.toString());
          }
        }
      }
      for (String part : target.split("/")) {
        if (part.equals("..")) {
          parts.pollLast();
        } else if (!part.isEmpty() && !part.equals(".")) {
          parts.addLast(part);
        }
      }
      p = resolve(rootfs, "/" + String.join("/", parts));
    }
    return p;
  }

  /** Writes {@code content} atomically with {@code mode}; parent directories are created 0755. */
  static Path write(Path rootfs, String imagePath, byte[] content, int mode) throws IOException {
    Path target = resolve(rootfs, imagePath);
    createParents(rootfs, target.getParent());
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
    return write(rootfs, imagePath, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0644);
  }

  /** {@code dir} was resolved by {@link #resolve}, so its existing parts are real directories. */
  private static void createParents(Path rootfs, Path dir) throws IOException {
    if (dir.equals(rootfs)) {
      return;
    }
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      createParents(rootfs, dir.getParent());
      Files.createDirectory(dir);
      Files.setPosixFilePermissions(dir, permissions(0755));
    }
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
