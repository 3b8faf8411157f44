package io.imagebuilder.internal.deb822;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One deb822 stanza (a paragraph of a Packages, Release or dpkg status file): fields in their
 * original order, looked up case-insensitively.
 *
 * <p>A multi-line value is kept as dpkg keeps it: the first line without its leading blanks, then
 * for each continuation line a newline and the line as written (with its leading space), with
 * trailing whitespace removed from the end of the whole value. {@link #format()} writes it back.
 * Stored as two parallel arrays because a Packages file has a million fields.
 */
public final class Stanza {

  private final String[] names;
  private final String[] values;

  private Stanza(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * A stanza with the given fields in iteration order.
   *
   * @throws IllegalArgumentException for an invalid field name or a name given twice
   */
  public static Stanza of(Map<String, String> fields) {
    List<String> n = new ArrayList<>();
    List<String> v = new ArrayList<>();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      Deb822.checkFieldName(e.getKey());
      for (String existing : n) {
        if (existing.equalsIgnoreCase(e.getKey())) {
          throw new IllegalArgumentException("field '" + e.getKey() + "' given twice");
        }
      }
      n.add(e.getKey());
      v.add(e.getValue() == null ? "" : e.getValue());
    }
    return new Stanza(n.toArray(new String[0]), v.toArray(new String[0]));
  }

  static Stanza ofArrays(String[] names, String[] values) {
    return new Stanza(names, values);
  }

  /** The value of the field, looked up ignoring case, or null when the stanza has none. */
  public String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return values[i];
      }
    }
    return null;
  }

  /** The value of the field, or empty. */
  public Optional<String> find(String name) {
    return Optional.ofNullable(get(name));
  }

  /** Whether the stanza has the field (ignoring case). */
  public boolean has(String name) {
    return get(name) != null;
  }

  /** The field names as written, in order. */
  public List<String> names() {
    return Collections.unmodifiableList(Arrays.asList(names));
  }

  /** All fields in order, names as written. */
  public Map<String, String> fields() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], values[i]);
    }
    return Collections.unmodifiableMap(out);
  }

  /** The number of fields. */
  public int size() {
    return names.length;
  }

  /**
   * A copy with the field set: replaced in place when present (ignoring case), else appended.
   * dpkg's status file, for example, inserts Status after Package; use {@link #withFieldAfter}.
   */
  public Stanza withField(String name, String value) {
    Deb822.checkFieldName(name);
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        String[] v = values.clone();
        v[i] = value;
        return new Stanza(names, v);
      }
    }
    String[] n = Arrays.copyOf(names, names.length + 1);
    String[] v = Arrays.copyOf(values, values.length + 1);
    n[names.length] = name;
    v[values.length] = value;
    return new Stanza(n, v);
  }

  /** A copy with the field (re)placed right after field {@code after} (appended if absent). */
  public Stanza withFieldAfter(String after, String name, String value) {
    Stanza without = without(name);
    int at = -1;
    for (int i = 0; i < without.names.length; i++) {
      if (without.names[i].equalsIgnoreCase(after)) {
        at = i + 1;
      }
    }
    if (at < 0) {
      return without.withField(name, value);
    }
    Deb822.checkFieldName(name);
    List<String> n = new ArrayList<>(Arrays.asList(without.names));
    List<String> v = new ArrayList<>(Arrays.asList(without.values));
    n.add(at, name);
    v.add(at, value);
    return new Stanza(n.toArray(new String[0]), v.toArray(new String[0]));
  }

  /** A copy without the field (ignoring case). */
  public Stanza without(String name) {
    List<String> n = new ArrayList<>();
    List<String> v = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (!names[i].equalsIgnoreCase(name)) {
        n.add(names[i]);
        v.add(values[i]);
      }
    }
    return new Stanza(n.toArray(new String[0]), v.toArray(new String[0]));
  }

  /**
   * The stanza as deb822 text: one {@code Name: value} per field, continuation lines as kept, each
   * line ending in a newline, no blank line after it.
   */
  public String format() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      sb.append(names[i]).append(':');
      String value = values[i];
      if (!value.isEmpty() && value.charAt(0) != '\n') {
        sb.append(' ');
      }
      sb.append(value).append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stanza other
        && Arrays.equals(names, other.names)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    String pkg = get("Package");
    return pkg != null
        ? "Stanza[Package: " + pkg + ", " + names.length + " fields]"
        : "Stanza[" + String.join(", ", names).toLowerCase(Locale.ROOT) + "]";
  }
}
