package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which packages the bootstrap installs before any requested ones. */
public enum Variant {
  /** Essential: yes packages only. */
  ESSENTIAL,
  /** Priority required, Essential: yes and apt. The default. */
  MINBASE,
  /** minbase plus Priority important. */
  STANDARD;

  /** {@return the name in a spec's JSON, e.g. {@code minbase}} */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The value with this id.
   *
   * @param id the name in a spec's JSON
   * @return the value
   * @throws IllegalArgumentException naming the value and the known ids
   */
  @JsonCreator
  public static Variant fromId(String id) {
    for (Variant v : values()) {
      if (v.id().equals(id)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "invalid variant '" + id + "' (expected essential, minbase or standard)");
  }

  @Override
  public String toString() {
    return id();
  }
}
