package io.imagebuilder.arm.internal.disk;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How much a directory tree needs on a filesystem with 4 KiB blocks: each regular file rounded up
 * to whole blocks (hard links counted once), a block per directory and per long symlink, and the
 * number of inodes. Subtrees given as excluded (the mount points of other partitions) are left out
 * but their directories are counted.
 *
 * @param bytes the data blocks, in bytes
 * @param inodes files, directories, links and special files
 */
public record TreeUsage(long bytes, long inodes) {
  private static final long BLOCK = 4096;

  public static TreeUsage of(Path root, List<Path> excluded) throws IOException {
    long[] bytes = {0};
    long[] inodes = {0};
    Set<Object> seen = new HashSet<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            inodes[0]++;
            bytes[0] += BLOCK;
            return excluded.contains(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            Object key = attrs.fileKey();
            if (key != null && !seen.add(key)) {
              return FileVisitResult.CONTINUE;
            }
            inodes[0]++;
            if (attrs.isRegularFile()) {
              bytes[0] += ByteSize.alignUp(attrs.size(), BLOCK);
            } else if (attrs.isSymbolicLink() && attrs.size() >= 60) {
              bytes[0] += BLOCK;
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return new TreeUsage(bytes[0], inodes[0]);
  }
}
