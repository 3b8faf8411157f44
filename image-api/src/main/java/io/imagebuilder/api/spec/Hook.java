package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.internal.validate.Checks;
import java.util.List;

/**
 * A command run inside the target at a named point of the build.
 *
 * @param point when it runs
 * @param command argv; the first element is looked up on the target's PATH
 * @param network whether the command may reach the network; off by default, as for everything that
 *     runs inside the target once the packages are downloaded. A network hook gets the host's
 *     resolv.conf (unless the image has its own), which the finalise stage removes again. Written
 *     to the spec's JSON only when on, so specs without it keep their JSON and hash.
 */
public record Hook(
    HookPoint point,
    List<String> command,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean network) {
  /**
   * Checks the point and the command, and copies the command.
   *
   * @param point when it runs
   * @param command argv; the first element is looked up on the target's PATH
   * @param network whether the command may reach the network
   */
  public Hook {
    Checks.notNull(point, "hook point");
    if (command == null || command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "invalid hook command '" + command + "' (expected a non-empty argv list)");
    }
    command = List.copyOf(command);
  }

  /**
   * A hook without network access.
   *
   * @param point when it runs
   * @param command argv; the first element is looked up on the target's PATH
   */
  public Hook(HookPoint point, List<String> command) {
    this(point, command, false);
  }

  /**
   * This hook with network access (a hook that downloads, say with curl or apt).
   *
   * @return a copy that may reach the network
   */
  public Hook withNetwork() {
    return new Hook(point, command, true);
  }
}
