package io.imagebuilder.rootfs.internal.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Debian package version {@code [epoch:]upstream[-revision]}, ordered exactly as dpkg orders them
 * (Debian Policy 5.6.12).
 *
 * <p>Parsing splits the epoch at the first colon and the revision at the last hyphen, like dpkg.
 * Comparison goes epoch (numerically), then upstream, then revision, each compared as alternating
 * runs of non-digits (letters sort before non-letters, {@code ~} before everything, even the end)
 * and digits (numerically). Two versions that dpkg considers equal ({@code 1.0} and {@code 1.0-0},
 * {@code 0:1} and {@code 1}) are {@link #equals equal} here, while {@link #toString()} keeps the
 * text as written.
 */
public final class DebianVersion implements Comparable<DebianVersion> {

  private final String text;
  private final long epoch;
  private final String upstream;
  private final String revision;

  private DebianVersion(String text, long epoch, String upstream, String revision) {
    this.text = text;
    this.epoch = epoch;
    this.upstream = upstream;
    this.revision = revision;
  }

  /**
   * Parses a version as found in a Version field or a relation.
   *
   * @throws IllegalArgumentException naming the value and what is wrong with it
   */
  public static DebianVersion parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(
          "invalid Debian version null (expected [epoch:]upstream[-revision])");
    }
    String v = value.strip();
    if (v.isEmpty()) {
      throw invalid(value, "it is empty");
    }
    for (int i = 0; i < v.length(); i++) {
      if (Character.isWhitespace(v.charAt(i))) {
        throw invalid(value, "it contains whitespace");
      }
    }
    long epoch = 0;
    String rest = v;
    int colon = v.indexOf(':');
    if (colon >= 0) {
      String e = v.substring(0, colon);
      if (e.isEmpty() || !allDigits(e)) {
        throw invalid(value, "the epoch '" + e + "' is not a number");
      }
      if (e.length() > 10 || Long.parseLong(e) > Integer.MAX_VALUE) {
        throw invalid(value, "the epoch '" + e + "' is too large");
      }
      epoch = Long.parseLong(e);
      rest = v.substring(colon + 1);
      if (rest.isEmpty()) {
        throw invalid(value, "nothing follows the epoch");
      }
    }
    String upstream = rest;
    String revision = "";
    int hyphen = rest.lastIndexOf('-');
    if (hyphen >= 0) {
      upstream = rest.substring(0, hyphen);
      revision = rest.substring(hyphen + 1);
      if (revision.isEmpty()) {
        throw invalid(value, "the revision after '-' is empty");
      }
    }
    if (upstream.isEmpty()) {
      throw invalid(value, "the upstream version is empty");
    }
    if (!isDigit(upstream.charAt(0))) {
      throw invalid(value, "the upstream version does not start with a digit");
    }
    for (int i = 0; i < upstream.length(); i++) {
      char c = upstream.charAt(i);
      if (!isAlnum(c) && ".+-~:".indexOf(c) < 0) {
        throw invalid(value, "invalid character '" + c + "' in the upstream version");
      }
    }
    for (int i = 0; i < revision.length(); i++) {
      char c = revision.charAt(i);
      if (!isAlnum(c) && ".+~".indexOf(c) < 0) {
        throw invalid(value, "invalid character '" + c + "' in the revision");
      }
    }
    return new DebianVersion(v, epoch, upstream, revision);
  }

  private static IllegalArgumentException invalid(String value, String why) {
    return new IllegalArgumentException(
        "invalid Debian version '"
            + value
            + "': "
            + why
            + " (expected [epoch:]upstream[-revision])");
  }

  /** The epoch, 0 when the version has none. */
  public long epoch() {
    return epoch;
  }

  /** The upstream part, between the epoch and the last hyphen. */
  public String upstream() {
    return upstream;
  }

  /** The Debian revision after the last hyphen, or "" when there is none. */
  public String revision() {
    return revision;
  }

  @Override
  public int compareTo(DebianVersion other) {
    int c = Long.compare(epoch, other.epoch);
    if (c != 0) {
      return c;
    }
    c = comparePart(upstream, other.upstream);
    if (c != 0) {
      return c;
    }
    return comparePart(revision, other.revision);
  }

  /**
   * Compares one part (upstream or revision) the way dpkg does: alternately a run of non-digits,
   * character by character with {@link #weight}, then a run of digits by numeric value.
   */
  static int comparePart(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      // Non-digit run: compare position by position; a digit or the end weighs 0.
      while ((i < a.length() && !isDigit(a.charAt(i)))
          || (j < b.length() && !isDigit(b.charAt(j)))) {
        int wa = weight(a, i);
        int wb = weight(b, j);
        if (wa != wb) {
          return Integer.compare(wa, wb);
        }
        i++;
        j++;
      }
      // Digit run: numeric comparison without overflow: skip leading zeros, longer run wins,
      // equal lengths compare digit by digit.
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      int endA = i;
      while (endA < a.length() && isDigit(a.charAt(endA))) {
        endA++;
      }
      int endB = j;
      while (endB < b.length() && isDigit(b.charAt(endB))) {
        endB++;
      }
      int lenA = endA - i;
      int lenB = endB - j;
      if (lenA != lenB) {
        return Integer.compare(lenA, lenB);
      }
      for (int k = 0; k < lenA; k++) {
        int d = Character.compare(a.charAt(i + k), b.charAt(j + k));
        if (d != 0) {
          return d;
        }
      }
      i = endA;
      j = endB;
    }
    return 0;
  }

  /** The sort weight of the character at {@code pos}: ~ lowest, then end/digit, letters, others. */
  private static int weight(String s, int pos) {
    if (pos >= s.length()) {
      return 0;
    }
    char c = s.charAt(pos);
    if (isDigit(c)) {
      return 0;
    }
    if (isAlpha(c)) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlnum(char c) {
    return isDigit(c) || isAlpha(c);
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Versions are equal when dpkg compares them as equal, whatever their spelling. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DebianVersion other && compareTo(other) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(epoch, canonical(upstream), canonical(revision));
  }

  /**
   * A key that is equal for parts that compare equal: the part as (non-digit run, number) pairs
   * with leading zeros dropped and a lone (empty, 0) pair, which compares like "", removed.
   */
  private static List<String> canonical(String part) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < part.length()) {
      int start = i;
      while (i < part.length() && !isDigit(part.charAt(i))) {
        i++;
      }
      String letters = part.substring(start, i);
      start = i;
      while (i < part.length() && isDigit(part.charAt(i))) {
        i++;
      }
      String digits = part.substring(start, i).replaceFirst("^0+", "");
      out.add(letters + "#" + digits);
    }
    if (out.size() == 1 && out.get(0).equals("#")) {
      out.clear();
    }
    return out;
  }

  /** The version exactly as it was written. */
  @Override
  public String toString() {
    return text;
  }
}
