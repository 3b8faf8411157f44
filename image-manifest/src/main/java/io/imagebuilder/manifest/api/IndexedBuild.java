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
 */
public record IndexedBuild(long id, String specHash, String specJson, String manifestJson, Instant createdAt) {
  /**
   * The recorded manifest, parsed.
   *
   * @return the manifest read from {@link #manifestJson()}
   */
  public Manifest manifest() {
    return Manifest.fromJson(manifestJson);
  }
}
