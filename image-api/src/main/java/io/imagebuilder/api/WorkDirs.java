package io.imagebuilder.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Refuses directories a build must never write into or delete. */
final class WorkDirs {
  private static final List<String> HOST_DIRECTORIES =
      List.of(
          "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt", "/proc", "/root",
          "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var", "/var/tmp", "/var/lib", "/mnt", "/media");

  private WorkDirs() {}

  static Path checkUsable(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (HOST_DIRECTORIES.contains(abs.toString())) {
      throw new IllegalArgumentException(
          "invalid work directory '" + abs + "' (a host system directory; expected a new or empty directory)");
    }
    if (Files.isSymbolicLink(abs)) {
      throw new IllegalArgumentException(
          "invalid work directory '" + abs + "' (a symlink; expected a new or empty directory)");
    }
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException(
            "invalid work directory '" + abs + "' (not a directory; expected a new or empty directory)");
      }
      try (Stream<Path> entries = Files.list(abs)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "invalid work directory '" + abs + "' (not empty; expected a new or empty directory)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + abs, e);
      }
    }
    return abs;
  }
}
