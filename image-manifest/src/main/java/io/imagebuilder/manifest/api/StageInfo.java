package io.imagebuilder.manifest.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One stage of the build.
 *
 * @param type the stage type, e.g. {@code rootfs.apt}
 * @param id the stage id (sha256 of type, options and the previous id)
 * @param durationMillis how long it ran, or null when unknown (and always in the embedded copy)
 * @param log the stage's log beside the artifacts, relative to the output directory (e.g. {@code
 *     logs/03-rootfs.packages.log}), or null when unknown (and always in the embedded copy)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageInfo(String type, String id, Long durationMillis, String log) {
  /**
   * A stage without a known log.
   *
   * @param type the stage type
   * @param id the stage id
   * @param durationMillis how long it ran, or null when unknown
   */
  public StageInfo(String type, String id, Long durationMillis) {
    this(type, id, durationMillis, null);
  }

  /**
   * This stage without its duration.
   *
   * @return the copy
   */
  public StageInfo withoutDuration() {
    return new StageInfo(type, id, null, log);
  }

  /**
   * What the embedded copy keeps.
   *
   * @return type and id, nothing of the build's host, clock or output directory
   */
  public StageInfo reproducible() {
    return new StageInfo(type, id, null, null);
  }
}
