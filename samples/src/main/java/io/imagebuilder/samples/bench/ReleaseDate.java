package io.imagebuilder.samples.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Date:} field of a Release or InRelease file as epoch seconds: what ImageBuilder's
 * bootstrap takes as SOURCE_DATE_EPOCH when the spec gives none, so the mmdebstrap peer clamps its
 * image to the same time.
 */
final class ReleaseDate {
  private ReleaseDate() {}

  /** The Date of {@code release}, or empty when it has none. */
  static Optional<Long> epochSeconds(String release) {
    for (String line : release.split("\r?\n")) {
      if (line.startsWith("Date:")) {
        String value = line.substring("Date:".length()).trim();
        // Debian writes "UTC"; RFC 1123 as Java reads it wants "GMT" or an offset.
        String rfc =
            value.endsWith(" UTC") ? value.substring(0, value.length() - 3) + "GMT" : value;
        try {
          return Optional.of(
              ZonedDateTime.parse(rfc, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond());
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "invalid Release Date '"
                  + value
                  + "' (expected RFC 1123, e.g. 'Sat, 10 Jan 2026 10:24:31 UTC')",
              e);
        }
      }
    }
    return Optional.empty();
  }
}
