package io.imagebuilder.samples.cli;

import java.time.Duration;
import java.util.Locale;

/** Durations for people: {@code 0.4s}, {@code 12.3s}, {@code 2m05s}, {@code 1h02m}. */
final class Durations {
  private Durations() {}

  static String human(Duration d) {
    long millis = Math.max(0, d.toMillis());
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }
}
