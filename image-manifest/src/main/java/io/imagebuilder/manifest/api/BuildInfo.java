package io.imagebuilder.manifest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How the image was built. The embedded copy holds only what the same spec always gives ({@code
 * libraryVersion}, {@code sourceDateEpoch}, the stage ids); the copy beside the artifacts also says
 * where and how fast.
 *
 * @param libraryVersion the ImageBuilder version
 * @param executor the execution strategy, e.g. {@code native} or {@code qemu-user}; null in the
 *     embedded copy
 * @param hostArchitecture the build host's Debian architecture; null in the embedded copy
 * @param sourceDateEpoch the seconds every timestamp was clamped to, or null if none was known
 * @param stages the stages that ran, in order, as far as the build reported them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildInfo(
    String libraryVersion,
    String executor,
    String hostArchitecture,
    Long sourceDateEpoch,
    List<StageInfo> stages) {
  /**
   * Copies the stages; null is none.
   *
   * @param libraryVersion the ImageBuilder version
   * @param executor the execution strategy, e.g. {@code native} or {@code qemu-user}; null in the
   *     embedded copy
   * @param hostArchitecture the build host's Debian architecture; null in the embedded copy
   * @param sourceDateEpoch the seconds every timestamp was clamped to, or null if none was known
   * @param stages the stages that ran, in order, as far as the build reported them
   */
  public BuildInfo {
    stages = stages == null ? List.of() : List.copyOf(stages);
  }

  /**
   * What the embedded copy keeps.
   *
   * @return a copy with nothing that depends on the build host or the clock
   */
  public BuildInfo reproducible() {
    return new BuildInfo(
        libraryVersion,
        null,
        null,
        sourceDateEpoch,
        stages.stream().map(StageInfo::reproducible).toList());
  }
}
