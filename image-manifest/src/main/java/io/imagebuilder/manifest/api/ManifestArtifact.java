package io.imagebuilder.manifest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.api.artifact.Artifact;
import java.util.List;

/**
 * A file the build wrote.
 *
 * @param file the file name (no directory: artifacts are moved and copied)
 * @param format the output format's extension, e.g. {@code tar.zst} or {@code img}
 * @param size length in bytes
 * @param sha256 content hash, 64 hex digits
 * @param partitions for a disk image, each partition with its own hash; empty otherwise
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ManifestArtifact(
    String file, String format, long size, String sha256, List<ManifestPartition> partitions) {
  /**
   * Checks the sha256 and copies the partitions.
   *
   * @param file the file name (no directory: artifacts are moved and copied)
   * @param format the output format's extension, e.g. {@code tar.zst} or {@code img}
   * @param size length in bytes
   * @param sha256 content hash, 64 hex digits
   * @param partitions for a disk image, each partition with its own hash; empty otherwise
   * @throws IllegalArgumentException if {@code sha256} is not 64 lower-case hex digits
   */
  public ManifestArtifact {
    Sha256s.require(sha256, "sha256 of artifact '" + file + "'");
    partitions = partitions == null ? List.of() : List.copyOf(partitions);
  }

  /**
   * The manifest's view of an artifact, without partitions.
   *
   * @param artifact a file the build wrote
   * @return its file name, format, size and sha256
   */
  public static ManifestArtifact of(Artifact artifact) {
    return new ManifestArtifact(
        artifact.file().getFileName().toString(),
        artifact.format().extension(),
        artifact.size(),
        artifact.sha256(),
        List.of());
  }

  /**
   * A copy with {@code list} as its partitions.
   *
   * @param list the partitions of the disk image
   * @return the copy
   */
  public ManifestArtifact withPartitions(List<ManifestPartition> list) {
    return new ManifestArtifact(file, format, size, sha256, list);
  }
}
