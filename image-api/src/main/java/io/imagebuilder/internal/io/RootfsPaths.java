package io.imagebuilder.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The one way the library turns an image path ({@code /etc/hostname}) into a host path inside a
 * rootfs. One symlink policy for every writer: links on the way are followed as the image itself
 * would follow them with the rootfs as {@code /} (so {@code /lib -> usr/lib} works, and an absolute
 * link or a {@code ..} never leaves the rootfs); the last component is not followed, so a writer
 * replaces a link there instead of writing through it.
 */
public final class RootfsPaths {
  private static final int MAX_LINKS = 40;

  private RootfsPaths() {}

  /**
   * The host path of {@code imagePath} inside {@code rootfs}; the last component is not followed.
   *
   * @throws IllegalArgumentException for a path that is not absolute or holds {@code ..}
   * @throws IOException for a loop of links
   */
  public static Path resolve(Path rootfs, String imagePath) throws IOException {
    if (!imagePath.startsWith("/") || ("/" + imagePath + "/").contains("/../")) {
      throw new IllegalArgumentException(
          "invalid image path '" + imagePath + "' (expected an absolute path without ..)");
    }
    Path dir = rootfs;
    int hops = 0;
    Deque<String> todo = new ArrayDeque<>(Arrays.asList(imagePath.substring(1).split("/")));
    while (todo.size() > 1) {
      String name = todo.pop();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      Path next =
          name.equals("..") ? (dir.equals(rootfs) ? rootfs : dir.getParent()) : dir.resolve(name);
      if (Files.isSymbolicLink(next)) {
        if (++hops > MAX_LINKS) {
          throw new IOException("too many symlinks resolving " + imagePath + " in the image");
        }
        String target = Files.readSymbolicLink(next).toString();
        if (target.startsWith("/")) {
          dir = rootfs;
        }
        List<String> expanded = Arrays.asList(target.split("/"));
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
  public static Path resolveFollowing(Path rootfs, String imagePath) throws IOException {
    Path p = resolve(rootfs, imagePath);
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops >= MAX_LINKS) {
        throw new IOException("too many symlinks resolving " + imagePath + " in the image");
      }
      String target = Files.readSymbolicLink(p).toString();
      // The parent was resolved already: a ".." in the link goes up from that real directory.
      Deque<String> parts = new ArrayDeque<>();
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

  /**
   * Creates {@code dir} (a path {@link #resolve} gave, so what exists of it is real directories)
   * and its missing parents below {@code rootfs}, each with mode 0755 whatever the umask.
   *
   * @return the directories created, outermost first (empty when {@code dir} existed)
   */
  public static List<Path> createDirectories(Path rootfs, Path dir) throws IOException {
    List<Path> created = new ArrayList<>();
    create(rootfs, dir, created);
    return created;
  }

  private static void create(Path rootfs, Path dir, List<Path> created) throws IOException {
    if (dir.equals(rootfs) || Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    create(rootfs, dir.getParent(), created);
    Files.createDirectory(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    created.add(dir);
  }
}
