package io.imagebuilder.api.error;

import io.imagebuilder.api.event.CompletedStage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a failed or cancelled build stood when it ended, as its exception carries it ({@link
 * ImageBuildException#buildState()}): what a caller needs to report or retry it.
 *
 * @param outputDir the build's output directory (its {@code logs/} hold every started stage's log)
 * @param completedStages the stages that ran to completion, in order
 * @param stageType the type of the stage that failed or was running, or null when none was
 * @param stageId that stage's id, or null
 * @param stageLog that stage's log file (absolute), or null when it had none yet
 */
public record BuildState(
    Path outputDir,
    List<CompletedStage> completedStages,
    String stageType,
    String stageId,
    Path stageLog) {
  /**
   * Copies the list.
   *
   * @param outputDir the build's output directory
   * @param completedStages the stages that ran to completion, in order; copied
   * @param stageType the failed or running stage's type, or null
   * @param stageId that stage's id, or null
   * @param stageLog that stage's log file, or null
   */
  public BuildState {
    completedStages = List.copyOf(completedStages);
  }

  /**
   * The type of the stage that failed or was running, if any.
   *
   * @return the stage type, e.g. {@code rootfs.packages}, or empty when no stage was running
   */
  public Optional<String> failedStage() {
    return Optional.ofNullable(stageType);
  }

  /**
   * The log file of that stage, if it had one.
   *
   * @return the absolute path of its log, or empty
   */
  public Optional<Path> failedStageLog() {
    return Optional.ofNullable(stageLog);
  }
}
