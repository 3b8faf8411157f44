package io.imagebuilder.api.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A release series of a distribution, such as {@code debian/bookworm} or {@code ubuntu/noble}.
 *
 * @param distribution the distribution the series belongs to
 * @param codename the series' code name, as in the archive's {@code dists/} directory
 */
public record Series(Distribution distribution, String codename) {
  private static final Pattern CODENAME = Pattern.compile("[a-z][a-z0-9-]*");

  /**
   * Checks the distribution and the code name.
   *
   * @param distribution the distribution
   * @param codename the code name, e.g. {@code bookworm}
   * @throws IllegalArgumentException if the distribution is null or the code name malformed
   */
  public Series {
    if (distribution == null) {
      throw new IllegalArgumentException("a series needs a distribution (got null)");
    }
    if (codename == null || !CODENAME.matcher(codename).matches()) {
      throw new IllegalArgumentException(
          "invalid series '" + codename + "' (expected a code name such as bookworm or noble)");
    }
  }

  /**
   * Parses {@code bookworm} (the distribution is inferred from the known series) or {@code
   * debian/forky} (any series of the named distribution).
   *
   * @param value {@code CODENAME} or {@code DISTRIBUTION/CODENAME}
   * @return the series
   * @throws IllegalArgumentException if the value is malformed or the series unknown
   */
  public static Series parse(String value) {
    if (value != null && value.contains("/")) {
      String[] parts = value.split("/", -1);
      if (parts.length != 2) {
        throw invalid(value);
      }
      return new Series(Distribution.fromId(parts[0]), parts[1]);
    }
    for (Distribution d : Distribution.values()) {
      if (d.knownSeries().contains(value)) {
        return new Series(d, value);
      }
    }
    throw invalid(value);
  }

  private static IllegalArgumentException invalid(String value) {
    List<String> known = new ArrayList<>();
    for (Distribution d : Distribution.values()) {
      known.addAll(d.knownSeries());
    }
    return new IllegalArgumentException(
        "invalid series '"
            + value
            + "' (expected one of "
            + String.join(", ", known)
            + ", or distribution/series such as debian/forky)");
  }

  @Override
  public String toString() {
    return distribution.id() + "/" + codename;
  }
}
