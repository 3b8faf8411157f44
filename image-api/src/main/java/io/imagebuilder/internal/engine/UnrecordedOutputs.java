package io.imagebuilder.internal.engine;

import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.io.OwnedDirectories;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a build wrote into its output directory, so that a build that fails or is cancelled before
 * its manifest is written leaves no artifact without a record (a complete tarball that no manifest
 * or index entry describes, or one that sits beside an earlier build's manifest). Taken before the
 * first stage runs; the files that are new or replaced since (not the logs, which tell what
 * happened) are removed when the build ends unrecorded.
 */
final class UnrecordedOutputs {
  private final Path dir;
  private final Map<String, Object> before;

  private UnrecordedOutputs(Path dir, Map<String, Object> before) {
    this.dir = dir;
    this.before = before;
  }

  /** The files of {@code outputDir} as they are now. */
  static UnrecordedOutputs snapshot(Path outputDir) throws IOException {
    return new UnrecordedOutputs(outputDir, files(outputDir));
  }

  /**
   * After {@code failure} ended the build before its manifest: removes what it wrote, telling
   * {@code warn} which files went; a file that cannot be removed is added to the failure.
   */
  void removeAfter(Exception failure, java.util.function.Consumer<String> warn) {
    try {
      List<String> removed = remove();
      if (!removed.isEmpty()) {
        warn.accept(
            "removed "
                + String.join(", ", removed)
                + " from "
                + dir
                + ": the build ended before its manifest was written, so nothing would describe them");
      }
    } catch (IOException e) {
      failure.addSuppressed(
          new IOException("cannot remove the unrecorded artifacts in " + dir + ": " + e, e));
    }
  }

  /**
   * Deletes the files this build added or replaced.
   *
   * @return their names, sorted
   */
  List<String> remove() throws IOException {
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, Object> now : files(dir).entrySet()) {
      if (!Objects.equals(before.get(now.getKey()), now.getValue())
          && Files.deleteIfExists(dir.resolve(now.getKey()))) {
        removed.add(now.getKey());
      }
    }
    removed.sort(null);
    return removed;
  }

  /**
   * Regular files directly in {@code dir} (not logs/, the lock or temporaries) by name, with their
   * identity.
   */
  private static Map<String, Object> files(Path dir) throws IOException {
    Map<String, Object> out = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.equals(OwnedDirectories.OUTPUT_MARKER) || AtomicFiles.isTemporary(name)) {
          continue;
        }
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile()) {
          // A replacement by rename is a new inode; an edit in place changes size or mtime.
          out.put(
              name,
              List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toMillis()));
        }
      }
    }
    return out;
  }
}
