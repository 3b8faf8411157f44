package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where in a build a hook runs. */
public enum HookPoint {
  /** After the base system is installed, before extra sources are added. */
  AFTER_BOOTSTRAP,
  /** After the requested packages are installed. */
  AFTER_PACKAGES,
  /** After users, files and the board are set up, before the reproducibility clean-up. */
  BEFORE_FINALISE;

  /** {@return the name in a spec's JSON, e.g. {@code after-packages}} */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The value with this id.
   *
   * @param id the name in a spec's JSON
   * @return the value
   * @throws IllegalArgumentException naming the value and the known ids
   */
  @JsonCreator
  public static HookPoint fromId(String id) {
    for (HookPoint p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "invalid hook point '"
            + id
            + "' (expected after-bootstrap, after-packages or before-finalise)");
  }

  @Override
  public String toString() {
    return id();
  }
}
