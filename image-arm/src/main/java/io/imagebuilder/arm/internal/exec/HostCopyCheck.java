package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.api.error.ImageBuildException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a file that a command run with native helpers copied from a covered tool: reading such a
 * file gives the host's binary, which must never end up in the image. Looks only at regular files
 * changed since the command started (ctime) whose size is that of a helper, and compares their
 * bytes; the kernel filesystems and /run are not walked.
 */
final class HostCopyCheck {
  private static final List<String> SKIPPED = List.of("proc", "sys", "dev", "run");

  private final Map<Long, List<Path>> helpersBySize = new HashMap<>();

  /**
   * @param helpers the helper binaries as a reader of a covered file sees them
   */
  HostCopyCheck(Iterable<Path> helpers) throws IOException {
    for (Path h : helpers) {
      helpersBySize.computeIfAbsent(Files.size(h), k -> new java.util.ArrayList<>()).add(h);
    }
  }

  /**
   * @throws ImageBuildException naming the first file under {@code root} changed at or after {@code
   *     since} that holds a helper's bytes
   */
  void check(Path root, FileTime since) throws ImageBuildException {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return dir.getParent() != null
                      && dir.getParent().equals(root)
                      && SKIPPED.contains(dir.getFileName().toString())
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (!attrs.isRegularFile() || !helpersBySize.containsKey(attrs.size())) {
                return FileVisitResult.CONTINUE;
              }
              FileTime changed =
                  (FileTime)
                      Files.getAttribute(
                          file, "unix:ctime", java.nio.file.LinkOption.NOFOLLOW_LINKS);
              if (changed.compareTo(since) < 0) {
                return FileVisitResult.CONTINUE;
              }
              byte[] bytes = Files.readAllBytes(file);
              for (Path helper : helpersBySize.get(attrs.size())) {
                if (Arrays.equals(bytes, Files.readAllBytes(helper))) {
                  throw new HostCopyFound(
                      "/"
                          + root.relativize(file)
                          + " is a copy of the host's "
                          + helper.getFileName()
                          + ", made by a command run with native helpers"
                          + " (build again with -Dimagebuilder.nativeHelpers=false)");
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (HostCopyFound e) {
      throw new ImageBuildException(e.getMessage());
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot check " + root + " for copies of host binaries: " + e.getMessage(), e);
    }
  }

  private static final class HostCopyFound extends IOException {
    HostCopyFound(String message) {
      super(message);
    }
  }
}
