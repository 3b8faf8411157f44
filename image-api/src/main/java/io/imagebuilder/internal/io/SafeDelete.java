package io.imagebuilder.internal.io;

import io.imagebuilder.internal.userns.NamespaceRemoval;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The library's one tree deletion. It never follows a symlink and never crosses into another
 * filesystem: a mount point left inside (say a bind mount of the host's /dev in a rootfs) is
 * skipped and reported, never emptied. Every tree the library deletes goes through here.
 */
public final class SafeDelete {
  /** The filesystem a path is on; a seam so tests can stand a mount point in without root. */
  interface Devices {
    Object of(Path p) throws IOException;
  }

  private static final Devices UNIX =
      p -> Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);

  private SafeDelete() {}

  /**
   * Deletes {@code root} and everything under it on the same filesystem; nothing when it does not
   * exist.
   *
   * @return the mount points that were found and left in place (empty when all is gone)
   */
  public static List<Path> deleteTree(Path root) throws IOException {
    return deleteTree(root, UNIX);
  }

  /**
   * Deletes {@code root} as {@link #deleteTree} does, for callers that expect no mount inside:
   * fails naming the mount points left in place (their parents are left too).
   */
  public static void deleteTreeOrThrow(Path root) throws IOException {
    deleteTreeOrThrow(root, UNIX);
  }

  static void deleteTreeOrThrow(Path root, Devices devices) throws IOException {
    requireNone(root, deleteTree(root, devices));
  }

  /**
   * Deletes the files and symlinks under the directory {@code dir}, keeping the directories (a log
   * directory a package owns stays); fails, as {@link #deleteTreeOrThrow} does, naming a mount
   * point inside, which is left in place.
   */
  public static void deleteFilesOrThrow(Path dir) throws IOException {
    deleteFilesOrThrow(dir, UNIX, Set.of());
  }

  /**
   * {@link #deleteFilesOrThrow(Path)}, keeping the files in {@code keep} (paths under {@code dir},
   * as the walk meets them: e.g. {@code dir.resolve("wtmp")}) untouched.
   */
  public static void deleteFilesOrThrow(Path dir, Set<Path> keep) throws IOException {
    deleteFilesOrThrow(dir, UNIX, keep);
  }

  static void deleteFilesOrThrow(Path dir, Devices devices) throws IOException {
    deleteFilesOrThrow(dir, devices, Set.of());
  }

  private static void deleteFilesOrThrow(Path dir, Devices devices, Set<Path> keep)
      throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      requireNone(dir, walk(dir, devices, true, keep));
    }
  }

  private static void requireNone(Path root, List<Path> left) throws IOException {
    if (!left.isEmpty()) {
      throw new IOException(
          "cannot delete " + root + ": mount points inside were left in place: " + left);
    }
  }

  static List<Path> deleteTree(Path root, Devices devices) throws IOException {
    try {
      return walk(root, devices, false, Set.of());
    } catch (AccessDeniedException e) {
      // files a rootless build gave to its subordinate ids: removable in its user namespace
      if (!NamespaceRemoval.removeTree(root)) {
        throw e;
      }
      return walk(root, devices, false, Set.of()); // what is left: mount points rm kept off
    }
  }

  private static List<Path> walk(
      Path root, Devices devices, boolean keepDirectories, Set<Path> keep) throws IOException {
    List<Path> skipped = new ArrayList<>();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return skipped;
    }
    if (Files.isSymbolicLink(root) || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(root);
      return skipped;
    }
    Object device = devices.of(root);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!device.equals(devices.of(dir))) {
              skipped.add(dir);
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (!keep.contains(file)) {
              Files.deleteIfExists(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            if (!keepDirectories && skipped.stream().noneMatch(s -> s.startsWith(dir))) {
              Files.deleteIfExists(dir);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return skipped;
  }
}
