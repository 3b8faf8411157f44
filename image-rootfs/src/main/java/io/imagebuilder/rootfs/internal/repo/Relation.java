package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.rootfs.internal.version.DebianVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One comma-separated entry of a Depends-like field: alternatives separated by {@code |}, any one
 * of which satisfies it.
 */
public record Relation(List<Alternative> alternatives) {

  // name[:qual] [(op version)] [[archs]] [<profiles>]...
  private static final Pattern ALTERNATIVE =
      Pattern.compile(
          "([a-z0-9][a-z0-9+.\\-]*)(?::([a-z0-9][a-z0-9\\-]*))?"
              + "\\s*(?:\\(\\s*(<<|<=|>=|>>|=|<|>)\\s*([^\\s)]+)\\s*\\))?"
              + "\\s*(?:\\[([^\\]]*)\\])?"
              + "((?:\\s*<[^>]*>)*)\\s*");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.\\-]*");

  public Relation {
    alternatives = List.copyOf(alternatives);
    if (alternatives.isEmpty()) {
      throw new IllegalArgumentException("a relation needs at least one alternative");
    }
  }

  /**
   * Parses a Depends/Pre-Depends/Provides-style field. Build profile restrictions are dropped;
   * architecture lists are kept on each {@link Alternative}.
   *
   * @throws IllegalArgumentException quoting the field and the part that does not parse
   */
  public static List<Relation> parseList(String field) {
    List<Relation> out = new ArrayList<>();
    if (field == null || field.isBlank()) {
      return out;
    }
    for (String entry : field.split(",")) {
      if (entry.isBlank()) {
        // dpkg tolerates a trailing comma.
        continue;
      }
      List<Alternative> alts = new ArrayList<>();
      for (String alt : entry.split("\\|")) {
        alts.add(parseAlternative(alt.strip(), field));
      }
      out.add(new Relation(alts));
    }
    return out;
  }

  /** Parses a single relation such as {@code libc6 (>= 2.36) | libc6-udeb}. */
  public static Relation parse(String text) {
    List<Relation> list = parseList(text);
    if (list.size() != 1) {
      throw new IllegalArgumentException("expected one relation, got '" + text + "'");
    }
    return list.get(0);
  }

  private static Alternative parseAlternative(String text, String field) {
    Matcher m = ALTERNATIVE.matcher(text.replace('\n', ' '));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid relation '"
              + text
              + "' in '"
              + field.strip()
              + "' (expected name[:arch] [(op version)] [[arch ...]])");
    }
    Alternative.Operator op = m.group(3) == null ? null : Alternative.Operator.parse(m.group(3));
    DebianVersion version = m.group(4) == null ? null : DebianVersion.parse(m.group(4));
    List<String> archs = new ArrayList<>();
    if (m.group(5) != null) {
      for (String a : m.group(5).strip().split("\\s+")) {
        if (!a.isEmpty()) {
          archs.add(a);
        }
      }
      if (archs.isEmpty() || archs.stream().map(a -> a.startsWith("!")).distinct().count() > 1) {
        throw new IllegalArgumentException(
            "invalid architecture list in '"
                + text
                + "' (all entries negated or none, at least one)");
      }
    }
    return new Alternative(m.group(1), m.group(2), op, version, archs);
  }

  static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  /** The alternatives that apply on {@code arch}; empty means the relation is void there. */
  public List<Alternative> alternativesFor(String arch) {
    return alternatives.stream().filter(a -> a.appliesTo(arch)).collect(Collectors.toList());
  }

  @Override
  public String toString() {
    return alternatives.stream().map(Alternative::toString).collect(Collectors.joining(" | "));
  }
}
