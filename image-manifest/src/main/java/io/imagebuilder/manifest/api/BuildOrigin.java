package io.imagebuilder.manifest.api;

import java.nio.file.Path;

/**
 * Where a recorded build came from besides its manifest: the plan that ran (so a build whose plan
 * was transformed is told apart from the plain spec's) and where its artifacts were written.
 *
 * @param planId the last stage's id, which names the whole stage tree
 * @param planJson the plan as {@code Plan.toJson()} describes it (each stage's type, id, phase,
 *     summary and options, transformed stages included as far as they describe themselves)
 * @param outputDir the directory the artifacts were written to, absolute
 */
public record BuildOrigin(String planId, String planJson, Path outputDir) {
  /**
   * Checks the values.
   *
   * @param planId the last stage's id, 64 hex digits
   * @param planJson the plan's description
   * @param outputDir where the artifacts were written, absolute
   */
  public BuildOrigin {
    if (planId == null || !planId.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "invalid plan id '" + planId + "' (expected 64 lower-case hex digits)");
    }
    if (planJson == null || outputDir == null || !outputDir.isAbsolute()) {
      throw new IllegalArgumentException(
          "invalid build origin (expected a plan description and an absolute output directory, got "
              + outputDir
              + ")");
    }
  }
}
