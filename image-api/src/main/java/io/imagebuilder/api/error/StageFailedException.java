package io.imagebuilder.api.error;

import java.util.List;
import java.util.Optional;

/**
 * A stage failed. The message names the stage type and id and, when a command failed, the
 * command, its exit code and the last lines of its output.
 */
public class StageFailedException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  private final String stageType;
  private final String stageId;

  /** Stage {@code stageType} with id {@code stageId} failed with {@code cause}. */
  public StageFailedException(String stageType, String stageId, Throwable cause) {
    this(stageType, stageId, cause, null);
  }

  /**
   * Stage {@code stageType} with id {@code stageId} failed with {@code cause}, the build standing
   * where {@code state} says.
   */
  public StageFailedException(String stageType, String stageId, Throwable cause, BuildState state) {
    super(
        "stage "
            + stageType
            + " (id "
            + shortId(stageId)
            + ") failed: "
            + (cause.getMessage() == null ? cause.toString() : cause.getMessage()),
        cause,
        state);
    this.stageType = stageType;
    this.stageId = stageId;
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  /** The failed stage's type, e.g. {@code rootfs.packages}. */
  public String stageType() {
    return stageType;
  }

  /** The failed stage's id in the plan. */
  public String stageId() {
    return stageId;
  }

  /** The failed command, when a command was the cause. */
  public Optional<CommandFailedException> commandFailure() {
    return getCause() instanceof CommandFailedException c ? Optional.of(c) : Optional.empty();
  }

  /** The failed command's argv, or empty. */
  public List<String> command() {
    return commandFailure().map(CommandFailedException::command).orElse(List.of());
  }

  /** The failed command's exit code, or empty. */
  public Optional<Integer> exitCode() {
    return commandFailure().map(CommandFailedException::exitCode);
  }

  /** The last lines the failed command printed, or empty. */
  public List<String> outputTail() {
    return commandFailure().map(CommandFailedException::outputTail).orElse(List.of());
  }
}
