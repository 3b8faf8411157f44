package io.imagebuilder.arm.internal.mount;

import io.imagebuilder.api.error.ImageBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the host's own programs by absolute path, so that neither the JVM's PATH nor the
 * target's decides which binary runs with root rights.
 */
public final class HostTools {
  private static final List<String> DIRS =
      List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private HostTools() {}

  /**
   * The absolute path of host program {@code name}.
   *
   * @throws ImageBuildException naming the Debian package that provides it
   */
  public static String require(String name, String debianPackage) throws ImageBuildException {
    for (String dir : DIRS) {
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new ImageBuildException(
        "the host tool '" + name + "' is not installed (install it with: apt-get install -y "
            + debianPackage + ")");
  }

  /** Like {@link #require} for tools every Debian host has; an unchecked error if absent. */
  static String essential(String name, String debianPackage) {
    try {
      return require(name, debianPackage);
    } catch (ImageBuildException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
