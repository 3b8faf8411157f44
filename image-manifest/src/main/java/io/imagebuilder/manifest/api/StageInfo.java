package io.imagebuilder.manifest.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One stage of the build.
 *
 * @param type the stage type, e.g. {@code rootfs.apt}
 * @param id the stage id (sha256 of type, options and the previous id)
 * @param durationMillis how long it ran, or null when unknown (and always in the embedded copy)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageInfo(String type, String id, Long durationMillis) {
  /** This stage without its duration. */
  public StageInfo withoutDuration() {
    return new StageInfo(type, id, null);
  }
}
