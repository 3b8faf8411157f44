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

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

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
