package io.imagebuilder.internal.process;

import io.imagebuilder.api.error.ImageBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds host programs. One rule: the directories of {@link HostProcess#PATH}, in that order, and
 * never the JVM's PATH, so neither the caller's environment nor the target decides which binary
 * runs (some with root rights), and a tool found when a stage is planned is the one its host
 * process runs.
 */
public final class HostTools {
  private static final List<String> DIRS = List.of(HostProcess.PATH.split(":"));

  private HostTools() {}

  /** The absolute path of host program {@code tool}, if installed. */
  public static Optional<Path> find(String tool) {
    if (tool.isEmpty() || tool.contains("/")) {
      throw new IllegalArgumentException(
          "invalid host tool '" + tool + "' (expected a program name)");
    }
    for (String dir : DIRS) {
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The absolute path of host program {@code name}.
   *
   * @throws ImageBuildException naming the Debian package that provides it
   */
  public static String require(String name, String debianPackage) throws ImageBuildException {
    return find(name)
        .map(Path::toString)
        .orElseThrow(
            () ->
                new ImageBuildException(
                    "the host tool '"
                        + name
                        + "' is not installed (install it with: apt-get install -y "
                        + debianPackage
                        + ")"));
  }

  /** Like {@link #require} for tools every Debian host has; an unchecked error if absent. */
  public static String essential(String name, String debianPackage) {
    try {
      return require(name, debianPackage);
    } catch (ImageBuildException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
