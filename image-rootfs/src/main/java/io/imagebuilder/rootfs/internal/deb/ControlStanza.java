package io.imagebuilder.rootfs.internal.deb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One deb822 stanza (a package's {@code control} file) as ordered fields, keeping each value's
 * exact text (continuation lines included) so it can be written back unchanged.
 */
public final class ControlStanza {
  /** One field: its name as written and its value (after "Name:", leading space trimmed). */
  public record Field(String name, String value) {}

  private final List<Field> fields;

  private ControlStanza(List<Field> fields) {
    this.fields = Collections.unmodifiableList(fields);
  }

  /**
   * Parses the first stanza of {@code text}.
   *
   * @throws IllegalArgumentException if a line is neither a field nor a continuation
   */
  public static ControlStanza parse(String text) {
    List<Field> fields = new ArrayList<>();
    String name = null;
    StringBuilder value = null;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        if (name != null) {
          break; // end of the first stanza
        }
        continue;
      }
      if (line.startsWith("#") && name == null) {
        continue;
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (name == null) {
          throw new IllegalArgumentException(
              "invalid control data: continuation line '" + line + "' before any field");
        }
        value.append('\n').append(line);
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "invalid control line '" + line + "' (expected 'Field: value')");
      }
      if (name != null) {
        fields.add(new Field(name, value.toString()));
      }
      name = line.substring(0, colon);
      value = new StringBuilder(line.substring(colon + 1).strip());
    }
    if (name != null) {
      fields.add(new Field(name, value.toString()));
    }
    return new ControlStanza(fields);
  }

  /** The fields in their original order. */
  public List<Field> fields() {
    return fields;
  }

  /** A field's value (first line and continuation lines), matched case-insensitively. */
  public Optional<String> get(String name) {
    for (Field f : fields) {
      if (f.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(f.value());
      }
    }
    return Optional.empty();
  }
}
