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
 * @param nonReproducible the image paths made at build time on purpose, which a rebuild of the same
 *     spec does not repeat (SSH host keys of an image without systemd), sorted; null (left out of
 *     the JSON) when there are none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildInfo(
    String libraryVersion,
    String executor,
    String hostArchitecture,
    Long sourceDateEpoch,
    List<StageInfo> stages,
    List<String> nonReproducible) {
  /**
   * Copies the stages; null is none.
   *
   * @param libraryVersion the ImageBuilder version
   * @param executor the execution strategy, e.g. {@code native} or {@code qemu-user}; null in the
   *     embedded copy
   * @param hostArchitecture the build host's Debian architecture; null in the embedded copy
   * @param sourceDateEpoch the seconds every timestamp was clamped to, or null if none was known
   * @param stages the stages that ran, in order, as far as the build reported them
   * @param nonReproducible the image paths made at build time on purpose; null or empty is none
   */
  public BuildInfo {
    stages = stages == null ? List.of() : List.copyOf(stages);
    nonReproducible =
        nonReproducible == null || nonReproducible.isEmpty()
            ? null
            : List.copyOf(new java.util.TreeSet<>(nonReproducible));
  }

  /**
   * A build with no intended non-reproducible content.
   *
   * @param libraryVersion the ImageBuilder version
   * @param executor the execution strategy; null in the embedded copy
   * @param hostArchitecture the build host's Debian architecture; null in the embedded copy
   * @param sourceDateEpoch the seconds every timestamp was clamped to, or null if none was known
   * @param stages the stages that ran, in order, as far as the build reported them
   */
  public BuildInfo(
      String libraryVersion,
      String executor,
      String hostArchitecture,
      Long sourceDateEpoch,
      List<StageInfo> stages) {
    this(libraryVersion, executor, hostArchitecture, sourceDateEpoch, stages, null);
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
        stages.stream().map(StageInfo::reproducible).toList(),
        nonReproducible);
  }
}
