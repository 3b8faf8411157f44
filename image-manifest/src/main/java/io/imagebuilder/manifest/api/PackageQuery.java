package io.imagebuilder.manifest.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A package to look for: a name, optionally at one version.
 *
 * @param name the binary package name
 * @param version the exact version (with epoch if it has one), or null for any
 */
public record PackageQuery(String name, String version) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9.+~:-]+");

  /**
   * Checks the name and the version.
   *
   * @param name the binary package name
   * @param version the exact version (with epoch if it has one), or null for any
   * @throws IllegalArgumentException if the name is not a Debian package name or the version not a
   *     Debian version
   */
  public PackageQuery {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid package name '"
              + name
              + "' (expected a Debian package name such as openssh-server)");
    }
    if (version != null && !VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(
          "invalid version '"
              + version
              + "' of package "
              + name
              + " (expected a Debian version such as 1:9.2p1-2)");
    }
  }

  /**
   * Parses {@code NAME} or {@code NAME=VERSION}, as the command line takes it.
   *
   * @param text the query
   * @return the query
   * @throws IllegalArgumentException if {@code text} is null or not a valid query
   */
  public static PackageQuery parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException(
          "invalid package query 'null' (expected NAME or NAME=VERSION)");
    }
    int eq = text.indexOf('=');
    return eq < 0
        ? new PackageQuery(text, null)
        : new PackageQuery(text.substring(0, eq), text.substring(eq + 1));
  }

  /**
   * The version, when the query has one.
   *
   * @return the version, or empty for any version
   */
  public Optional<String> versionIfGiven() {
    return Optional.ofNullable(version);
  }

  @Override
  public String toString() {
    return version == null ? name : name + "=" + version;
  }
}
