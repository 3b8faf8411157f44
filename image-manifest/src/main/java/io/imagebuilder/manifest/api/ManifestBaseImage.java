package io.imagebuilder.manifest.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The base image an image was built from instead of bootstrapping: how a derived image traces back
 * to its base (look its {@code sha256} up in the index, or its {@code specHash}).
 *
 * @param sha256 sha256 of the base image file (a rootfs tarball)
 * @param specHash the spec hash of the base's embedded manifest, or null when it had none (not made
 *     by ImageBuilder)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestBaseImage(String sha256, String specHash) {
  /**
   * Checks the sha256.
   *
   * @param sha256 sha256 of the base image file (a rootfs tarball)
   * @param specHash the spec hash of the base's embedded manifest, or null when it had none (not
   *     made by ImageBuilder)
   * @throws IllegalArgumentException if {@code sha256} is not 64 lower-case hex digits
   */
  public ManifestBaseImage {
    Sha256s.require(sha256, "base image sha256");
  }
}
