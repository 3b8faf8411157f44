package io.imagebuilder.api.error;

import io.imagebuilder.internal.validate.Secrets;
import java.util.List;
import java.util.Optional;

/**
 * A stage failed. The message names the stage type and id and, when a command failed, the command,
 * its exit code and the last lines of its output; the password of any URL in it is masked.
 */
public class StageFailedException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /** The failed stage's type. */
  private final String stageType;

  /** The failed stage's id. */
  private final String stageId;

  /**
   * Stage {@code stageType} with id {@code stageId} failed with {@code cause}.
   *
   * @param stageType the stage's type, e.g. {@code rootfs.packages}
   * @param stageId the stage's id in the plan (64 hex digits)
   * @param cause what the stage threw; not null. A caller reaches a typed cause with {@link
   *     #findCause(Class)}
   */
  public StageFailedException(String stageType, String stageId, Throwable cause) {
    this(stageType, stageId, cause, null);
  }

  /**
   * Stage {@code stageType} with id {@code stageId} failed with {@code cause}, the build standing
   * where {@code state} says.
   *
   * @param stageType the stage's type
   * @param stageId the stage's id in the plan
   * @param cause what the stage threw; not null
   * @param state where the build stood, or null when not known
   */
  public StageFailedException(String stageType, String stageId, Throwable cause, BuildState state) {
    super(
        Secrets.redact(
            "stage "
                + stageType
                + " (id "
                + shortId(stageId)
                + ") failed: "
                + (cause.getMessage() == null ? cause.toString() : cause.getMessage())),
        cause,
        state);
    this.stageType = stageType;
    this.stageId = stageId;
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  /**
   * The failed stage's type.
   *
   * @return the type, e.g. {@code rootfs.packages}
   */
  public String stageType() {
    return stageType;
  }

  /**
   * The failed stage's id in the plan.
   *
   * @return the id, 64 hex digits
   */
  public String stageId() {
    return stageId;
  }

  /**
   * The failed command, when a command was the direct cause.
   *
   * @return the command's failure, or empty
   */
  public Optional<CommandFailedException> commandFailure() {
    return getCause() instanceof CommandFailedException c ? Optional.of(c) : Optional.empty();
  }

  /**
   * The failed command's argv.
   *
   * @return the argv, or an empty list when no command was the cause
   */
  public List<String> command() {
    return commandFailure().map(CommandFailedException::command).orElse(List.of());
  }

  /**
   * The failed command's exit code.
   *
   * @return the exit code (-1 when killed at its timeout), or empty when no command was the cause
   */
  public Optional<Integer> exitCode() {
    return commandFailure().map(CommandFailedException::exitCode);
  }

  /**
   * The last lines the failed command printed.
   *
   * @return the lines, oldest first, or an empty list when no command was the cause
   */
  public List<String> outputTail() {
    return commandFailure().map(CommandFailedException::outputTail).orElse(List.of());
  }
}
