package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.rootfs.internal.version.DebianVersion;
import java.util.List;

/**
 * One alternative of a {@link Relation}: {@code name[:arch] [(op version)] [[arch list]]}.
 *
 * @param name the package (or virtual package) name
 * @param archQualifier {@code any}, {@code native} or an architecture after a colon, or null
 * @param operator the version operator, or null when the relation has no version
 * @param version the version, or null when the relation has no version
 * @param architectures the {@code [arch ...]} restriction list as written (entries may start with
 *     {@code !}); empty when there is none. Build profiles ({@code <!nocheck>}) are dropped.
 */
public record Alternative(
    String name,
    String archQualifier,
    Operator operator,
    DebianVersion version,
    List<String> architectures) {

  /** A relation operator. */
  public enum Operator {
    LESS("<<"),
    LESS_OR_EQUAL("<="),
    EQUAL("="),
    GREATER_OR_EQUAL(">="),
    GREATER(">>");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /**
     * Parses an operator; the obsolete {@code <} and {@code >} mean {@code <=} and {@code >=}, as
     * dpkg reads them.
     */
    public static Operator parse(String s) {
      switch (s) {
        case "<<":
          return LESS;
        case "<=":
        case "<":
          return LESS_OR_EQUAL;
        case "=":
          return EQUAL;
        case ">=":
        case ">":
          return GREATER_OR_EQUAL;
        case ">>":
          return GREATER;
        default:
          throw new IllegalArgumentException(
              "invalid relation operator '" + s + "' (expected <<, <=, =, >= or >>)");
      }
    }

    /** Whether {@code candidate op required} holds. */
    public boolean test(DebianVersion candidate, DebianVersion required) {
      int c = candidate.compareTo(required);
      switch (this) {
        case LESS:
          return c < 0;
        case LESS_OR_EQUAL:
          return c <= 0;
        case EQUAL:
          return c == 0;
        case GREATER_OR_EQUAL:
          return c >= 0;
        default:
          return c > 0;
      }
    }
  }

  public Alternative {
    if ((operator == null) != (version == null)) {
      throw new IllegalArgumentException(
          "operator and version go together in relation on '" + name + "'");
    }
    architectures = List.copyOf(architectures);
  }

  /** An unversioned alternative on a name. */
  public static Alternative of(String name) {
    return new Alternative(name, null, null, null, List.of());
  }

  /** Whether a version {@code candidate} meets this alternative's version constraint (if any). */
  public boolean acceptsVersion(DebianVersion candidate) {
    return operator == null || operator.test(candidate, version);
  }

  /**
   * Whether this alternative applies on {@code arch} given its {@code [arch ...]} list: a plain
   * list applies to the listed architectures, a negated one to all others. Wildcards {@code any}
   * and {@code linux-any}/{@code any-<cpu>} are understood for the Linux architectures we build.
   */
  public boolean appliesTo(String arch) {
    if (architectures.isEmpty()) {
      return true;
    }
    boolean negated = architectures.get(0).startsWith("!");
    for (String a : architectures) {
      String pattern = a.startsWith("!") ? a.substring(1) : a;
      if (archMatches(pattern, arch)) {
        return !negated;
      }
    }
    return negated;
  }

  private static boolean archMatches(String pattern, String arch) {
    if (pattern.equals(arch) || pattern.equals("any") || pattern.equals("linux-any")) {
      return true;
    }
    if (pattern.startsWith("any-")) {
      return pattern.substring(4).equals(cpuOf(arch));
    }
    if (pattern.startsWith("linux-")) {
      return pattern.substring(6).equals(arch);
    }
    return false;
  }

  private static String cpuOf(String arch) {
    switch (arch) {
      case "armhf":
      case "armel":
        return "arm";
      case "ppc64el":
        return "ppc64el";
      default:
        return arch;
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name);
    if (archQualifier != null) {
      sb.append(':').append(archQualifier);
    }
    if (operator != null) {
      sb.append(" (").append(operator.symbol()).append(' ').append(version).append(')');
    }
    if (!architectures.isEmpty()) {
      sb.append(" [").append(String.join(" ", architectures)).append(']');
    }
    return sb.toString();
  }
}
