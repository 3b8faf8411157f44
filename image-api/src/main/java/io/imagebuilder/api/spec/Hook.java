package io.imagebuilder.api.spec;

import io.imagebuilder.internal.validate.Checks;
import java.util.List;

/**
 * A command run inside the target at a named point of the build.
 *
 * @param point when it runs
 * @param command argv; the first element is looked up on the target's PATH
 */
public record Hook(HookPoint point, List<String> command) {
  /**
   * Checks the point and the command, and copies the command.
   *
   * @param point when it runs
   * @param command argv; the first element is looked up on the target's PATH
   */
  public Hook {
    Checks.notNull(point, "hook point");
    if (command == null || command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "invalid hook command '" + command + "' (expected a non-empty argv list)");
    }
    command = List.copyOf(command);
  }
}
