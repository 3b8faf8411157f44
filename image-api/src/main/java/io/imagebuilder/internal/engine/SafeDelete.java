package io.imagebuilder.internal.engine;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes a directory tree without following symlinks and without crossing into another
 * filesystem: a mount point left inside (say a bind mount of the host's /dev) is skipped and
 * reported, never emptied.
 */
public final class SafeDelete {
  private SafeDelete() {}

  /**
   * Deletes {@code root} and everything under it on the same filesystem.
   *
   * @return the mount points that were found and left in place (empty when all is gone)
   */
  public static List<Path> deleteTree(Path root) throws IOException {
    List<Path> skipped = new ArrayList<>();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return skipped;
    }
    if (Files.isSymbolicLink(root) || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(root);
      return skipped;
    }
    Object device = device(root);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!device.equals(device(dir))) {
              skipped.add(dir);
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
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
            if (skipped.stream().noneMatch(s -> s.startsWith(dir))) {
              Files.deleteIfExists(dir);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return skipped;
  }

  private static Object device(Path p) throws IOException {
    return Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);
  }
}
