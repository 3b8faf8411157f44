package io.imagebuilder.api.stage;

import io.imagebuilder.api.artifact.Artifact;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A build that succeeded, as the engine hands it to each stage of its plan ({@link
 * Stage#finished}): whether its stages ran now or its result came from the stage cache.
 *
 * @param plan the plan that made the result, transforms applied
 * @param outputDir the output directory, holding the artifacts and the manifest
 * @param cacheDir the build's cache directory
 * @param artifacts the artifacts in the output directory
 * @param manifestFile the manifest the engine wrote or restored, or null when no stage made one
 * @param fromCache whether the result is an earlier build's, from the stage cache
 */
public record FinishedBuild(
    Plan plan,
    Path outputDir,
    Path cacheDir,
    List<Artifact> artifacts,
    Path manifestFile,
    boolean fromCache) {
  /**
   * Copies the list.
   *
   * @param plan the plan that made the result
   * @param outputDir the output directory
   * @param cacheDir the build's cache directory
   * @param artifacts the artifacts
   * @param manifestFile the manifest file, or null
   * @param fromCache whether the result came from the stage cache
   */
  public FinishedBuild {
    artifacts = List.copyOf(artifacts);
  }

  /** {@return the manifest file in the output directory, if a stage made one} */
  public Optional<Path> manifest() {
    return Optional.ofNullable(manifestFile);
  }
}
