package io.imagebuilder.manifest.api;

import java.time.Instant;

/**
 * One build as the image index holds it.
 *
 * @param id the index's number for the build
 * @param specHash sha256 of the spec's canonical JSON
 * @param specJson the spec's canonical JSON: {@code ImageSpec.fromJson(specJson)} builds it again
 * @param manifestJson the complete manifest as recorded
 * @param createdAt when the build was recorded
 * @param planId the id of the plan that ran, or null for a build recorded without one (before
 *     schema version 2)
 * @param planJson that plan's description ({@code Plan.toJson()}), or null
 * @param outputDir where its artifacts were written, or null when not recorded
 */
public record IndexedBuild(
    long id,
    String specHash,
    String specJson,
    String manifestJson,
    Instant createdAt,
    String planId,
    String planJson,
    java.nio.file.Path outputDir) {
  /**
   * Where an artifact of this build was written, if the index knows.
   *
   * @param fileName the artifact's file name, as the manifest lists it
   * @return its path in the build's output directory, or empty for a build recorded without one
   */
  public java.util.Optional<java.nio.file.Path> artifactPath(String fileName) {
    return java.util.Optional.ofNullable(outputDir).map(d -> d.resolve(fileName));
  }

  /**
   * The recorded manifest, parsed.
   *
   * @return the manifest read from {@link #manifestJson()}
   */
  public Manifest manifest() {
    return Manifest.fromJson(manifestJson);
  }
}
