package io.imagebuilder.api.spec;

import io.imagebuilder.internal.validate.Checks;

/**
 * A local .deb served to the build from a side repository.
 *
 * @param path where the file is on the build host, or the http(s) URL it is downloaded from
 * @param sha256 its content hash, recorded when it was added, so the spec names exact bytes
 */
public record LocalPackage(String path, String sha256) {
  /**
   * Checks the path and the sha256.
   *
   * @param path where the file is on the build host
   * @param sha256 its content hash, recorded when it was added, so the spec names exact bytes
   */
  public LocalPackage {
    if (path == null || !path.endsWith(".deb")) {
      throw new IllegalArgumentException(
          "invalid local package '" + path + "' (expected a path to a .deb file)");
    }
    Checks.sha256(sha256, "sha256 of " + path);
  }
}
