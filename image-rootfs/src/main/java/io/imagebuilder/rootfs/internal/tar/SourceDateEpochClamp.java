package io.imagebuilder.rootfs.internal.tar;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.rootfs.internal.deb.Posix;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Clamps modification times in a rootfs to SOURCE_DATE_EPOCH, so that files made during the build
 * (by maintainer scripts, by us) do not carry the build's wall-clock time into an image.
 */
public final class SourceDateEpochClamp {
  private SourceDateEpochClamp() {}

  /**
   * Sets every mtime (and atime) newer than {@code epoch} to {@code epoch}, symlinks included
   * (themselves, not their targets). Does not descend into other filesystems mounted inside.
   *
   * @param epoch seconds since 1970-01-01 UTC
   * @return how many entries were changed
   */
  public static long clamp(Path rootfs, long epoch) throws ImageBuildException {
    if (epoch < 0) {
      throw new IllegalArgumentException("invalid SOURCE_DATE_EPOCH " + epoch + " (expected >= 0)");
    }
    long[] changed = {0};
    try {
      Object rootDev = Files.getAttribute(rootfs, "unix:dev");
      Files.walkFileTree(
          rootfs,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              visitFile(dir, attrs);
              boolean sameFs =
                  rootDev.equals(
                      Files.getAttribute(dir, "unix:dev", java.nio.file.LinkOption.NOFOLLOW_LINKS));
              return sameFs ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (attrs.lastModifiedTime().toMillis() > epoch * 1000) {
                Posix.setMtime(file, epoch, attrs.isSymbolicLink());
                changed[0]++;
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new ImageBuildException("cannot clamp mtimes in " + rootfs + ": " + e, e);
    }
    return changed[0];
  }
}
