package io.imagebuilder.manifest.api;

import java.util.Optional;

/**
 * What an image file turned out to be.
 *
 * @param sha256 the file's sha256
 * @param source where the manifest came from
 * @param manifest the manifest (complete from the index; the embedded copy otherwise)
 * @param build the index's record of the build, when it came from the index
 */
public record Identification(
    String sha256, Source source, Manifest manifest, Optional<IndexedBuild> build) {
  /** Where an identification came from. */
  public enum Source {
    /** The file's hash is in the index, as an artifact or a partition. */
    INDEX,
    /** The file is not indexed; its embedded manifest was read. */
    EMBEDDED
  }

  /**
   * The spec's canonical JSON, to build the image again.
   *
   * @return the manifest's {@link Manifest#specJson()}
   */
  public String specJson() {
    return manifest.specJson();
  }
}
