package io.imagebuilder.api.exec;

import java.time.Duration;
import java.util.List;

/**
 * How a command ended.
 *
 * @param exitCode the process's exit code
 * @param outputTail the last lines it printed (stdout and stderr merged)
 * @param duration how long it ran
 */
public record CommandResult(int exitCode, List<String> outputTail, Duration duration) {
  /**
   * Copies the output tail.
   *
   * @param exitCode the process's exit code
   * @param outputTail the last lines it printed (stdout and stderr merged)
   * @param duration how long it ran
   */
  public CommandResult {
    outputTail = List.copyOf(outputTail);
  }

  /** {@return true if the exit code is 0} */
  public boolean succeeded() {
    return exitCode == 0;
  }
}
