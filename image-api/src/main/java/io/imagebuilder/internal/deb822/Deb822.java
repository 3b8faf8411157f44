package io.imagebuilder.internal.deb822;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A parser for deb822 control data (deb822(5)): stanzas separated by blank lines (empty or only
 * spaces and tabs), fields {@code Name: value}, continuation lines starting with a space or tab.
 *
 * <p>Lines starting with {@code #} in the first column are comments; deb822 allows them only in
 * source control files, but skipping them costs nothing and never changes a Packages file.
 * Malformed input (a continuation line with no field, a line without a colon, a field twice in a
 * stanza) is an {@link IllegalArgumentException} naming the line number, so a caller can name the
 * file.
 */
public final class Deb822 {

  private Deb822() {}

  /** Parses all stanzas of UTF-8 text. */
  public static List<Stanza> parse(InputStream in) throws IOException {
    List<Stanza> out = new ArrayList<>();
    parse(in, out::add);
    return out;
  }

  /** Parses all stanzas of a string. */
  public static List<Stanza> parse(String text) {
    List<Stanza> out = new ArrayList<>();
    try {
      parse(new StringReader(text), out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Streams the stanzas of UTF-8 text to {@code sink}, one at a time (for large Packages files).
   */
  public static void parse(InputStream in, Consumer<Stanza> sink) throws IOException {
    parse(new InputStreamReader(in, StandardCharsets.UTF_8), sink);
  }

  /** Streams the stanzas of a reader to {@code sink}. */
  public static void parse(Reader reader, Consumer<Stanza> sink) throws IOException {
    BufferedReader r = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    // Field names repeat in every stanza: share one String per name.
    Map<String, String> names = new HashMap<>();
    List<String> fieldNames = new ArrayList<>();
    List<String> fieldValues = new ArrayList<>();
    StringBuilder value = null;
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (isBlank(line)) {
        if (value != null) {
          fieldValues.add(stripTrailing(value));
          value = null;
        }
        emit(fieldNames, fieldValues, sink);
        continue;
      }
      if (line.charAt(0) == '#') {
        continue;
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        if (value == null) {
          throw new IllegalArgumentException(
              "line " + lineNo + ": continuation line without a field: '" + abbreviate(line) + "'");
        }
        value.append('\n').append(line);
        continue;
      }
      if (value != null) {
        fieldValues.add(stripTrailing(value));
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "line " + lineNo + ": expected 'Name: value', got '" + abbreviate(line) + "'");
      }
      String name = line.substring(0, colon);
      checkFieldName(name, lineNo);
      for (String existing : fieldNames) {
        if (existing.equalsIgnoreCase(name)) {
          throw new IllegalArgumentException(
              "line " + lineNo + ": field '" + name + "' appears twice in one stanza");
        }
      }
      fieldNames.add(names.computeIfAbsent(name, n -> n));
      value = new StringBuilder(line.length() - colon);
      value.append(line, colon + 1, line.length());
      int lead = 0;
      while (lead < value.length() && (value.charAt(lead) == ' ' || value.charAt(lead) == '\t')) {
        lead++;
      }
      value.delete(0, lead);
    }
    if (value != null) {
      fieldValues.add(stripTrailing(value));
    }
    emit(fieldNames, fieldValues, sink);
  }

  private static void emit(List<String> names, List<String> values, Consumer<Stanza> sink) {
    if (names.isEmpty()) {
      return;
    }
    sink.accept(Stanza.ofArrays(names.toArray(new String[0]), values.toArray(new String[0])));
    names.clear();
    values.clear();
  }

  private static boolean isBlank(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  private static String stripTrailing(StringBuilder sb) {
    int end = sb.length();
    while (end > 0 && Character.isWhitespace(sb.charAt(end - 1))) {
      end--;
    }
    return sb.substring(0, end);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  static void checkFieldName(String name) {
    checkFieldName(name, -1);
  }

  private static void checkFieldName(String name, int lineNo) {
    String where = lineNo > 0 ? "line " + lineNo + ": " : "";
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(where + "empty field name");
    }
    if (name.charAt(0) == '#' || name.charAt(0) == '-') {
      throw new IllegalArgumentException(
          where + "invalid field name '" + name + "' (must not start with '#' or '-')");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 32 || c >= 127 || c == ':') {
        throw new IllegalArgumentException(
            where
                + "invalid field name '"
                + name
                + "' (printable ASCII without spaces or ':' expected)");
      }
    }
  }
}
