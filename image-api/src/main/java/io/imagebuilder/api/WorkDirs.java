package io.imagebuilder.api;

import io.imagebuilder.internal.io.HostDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Refuses directories a build must never write into or delete. */
final class WorkDirs {
  private WorkDirs() {}

  static Path checkUsable(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    HostDirectories.refusal(abs)
        .ifPresent(
            reason -> {
              throw new IllegalArgumentException(
                  "invalid work directory '"
                      + abs
                      + "' ("
                      + reason
                      + "; expected a new or empty directory)");
            });
    if (Files.isSymbolicLink(abs)) {
      throw new IllegalArgumentException(
          "invalid work directory '" + abs + "' (a symlink; expected a new or empty directory)");
    }
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException(
            "invalid work directory '"
                + abs
                + "' (not a directory; expected a new or empty directory)");
      }
      try (Stream<Path> entries = Files.list(abs)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "invalid work directory '"
                  + abs
                  + "' (not empty; expected a new or empty directory)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + abs, e);
      }
    }
    return abs;
  }
}
