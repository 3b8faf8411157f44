package io.imagebuilder.samples.cli;

import java.util.Locale;

/** Byte counts for people: {@code 512 B}, {@code 1.5 KiB}, {@code 123.4 MiB}. */
final class Sizes {
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Sizes() {}

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    // 1023.95 MiB would print as "1024.0 MiB": show it in the next unit instead.
    if (Math.round(value * 10) >= 10240 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  /** {@code done/total unit} with the unit of the larger number, e.g. {@code 12.3/27.0 MiB}. */
  static String pair(long done, long total) {
    long larger = Math.max(done, total);
    if (larger < 1024) {
      return done + "/" + total + " B";
    }
    int unit = 0;
    double scale = 1024;
    while (larger / scale >= 1024 && unit < UNITS.length - 1) {
      scale *= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f/%.1f %s", done / scale, total / scale, UNITS[unit]);
  }
}
