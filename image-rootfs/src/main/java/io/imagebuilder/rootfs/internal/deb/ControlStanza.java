package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.Stanza;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A package's {@code control} file: the first stanza {@link Deb822} reads from it, as ordered
 * fields whose values are kept as dpkg keeps them (continuation lines included), so they can be
 * written into dpkg's status file.
 */
public final class ControlStanza {
  /** One field: its name as written and its value. */
  public record Field(String name, String value) {}

  private final Stanza stanza;
  private final List<Field> fields;

  private ControlStanza(Stanza stanza) {
    this.stanza = stanza;
    List<Field> list = new ArrayList<>();
    for (Map.Entry<String, String> f : stanza.fields().entrySet()) {
      list.add(new Field(f.getKey(), f.getValue()));
    }
    this.fields = Collections.unmodifiableList(list);
  }

  /**
   * Parses the first stanza of {@code text}.
   *
   * @throws IllegalArgumentException for malformed control data, naming the line
   */
  public static ControlStanza parse(String text) {
    List<Stanza> stanzas = Deb822.parse(text);
    return new ControlStanza(stanzas.isEmpty() ? Stanza.of(Map.of()) : stanzas.get(0));
  }

  /** The fields in their original order. */
  public List<Field> fields() {
    return fields;
  }

  /** A field's value (first line and continuation lines), matched case-insensitively. */
  public Optional<String> get(String name) {
    return stanza.find(name);
  }
}
