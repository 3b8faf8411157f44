package io.imagebuilder.console.retention;

import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.build.BuildIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** The sizes of a build's files: {@code <buildsDir>/<id>/out} (artifacts) and its log. */
final class BuildFiles {
  private final ConsoleSettings settings;

  BuildFiles(ConsoleSettings settings) {
    this.settings = settings;
  }

  /** The directory holding everything of build {@code id}. */
  Path dir(String id) {
    return settings.buildsDir().resolve(BuildIds.check(id));
  }

  /** The bytes of its artifacts (and manifest files beside them). */
  long artifactBytes(String id) {
    return size(dir(id).resolve("out"));
  }

  /** The bytes of its log. */
  long logBytes(String id) {
    return size(dir(id).resolve("build.log"));
  }

  /** The bytes of regular files under {@code p}, links not followed; 0 when missing. */
  static long size(Path p) {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(p)) {
      return files
          .mapToLong(
              f -> {
                try {
                  BasicFileAttributes a =
                      Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                  return a.isRegularFile() ? a.size() : 0;
                } catch (IOException e) {
                  return 0; // removed while we looked
                }
              })
          .sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }
}
