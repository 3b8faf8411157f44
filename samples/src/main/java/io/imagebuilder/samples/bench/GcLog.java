package io.imagebuilder.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the peak heap use from a unified GC log ({@code -Xlog:gc:file=...}): every collection line
 * says {@code 120M->30M(512M)}; the heap in use is highest just before a collection, so the peak is
 * the largest "before" figure, or the heap in use at exit ({@code gc+heap+exit}) if larger.
 */
final class GcLog {
  private static final Pattern SIZES =
      Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  /**
   * The heap summary at exit ({@code -Xlog:gc+heap+exit}): "garbage-first heap total 5120K, used
   * 1234K".
   */
  private static final Pattern EXIT_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private GcLog() {}

  /**
   * A GC log of a run: every JVM it starts (the CLI relaunches itself in a user namespace, passing
   * its options on) writes its own {@code <name>-<pid>.log} in {@code dir}, so none overwrites
   * another's.
   */
  record Logs(Path dir, String name) {
    /** The JVM option that writes them. */
    String option() {
      return "-Xlog:gc,gc+heap+exit:file=" + dir.resolve(name + "-%p.log");
    }

    /** Removes the logs of an earlier run. */
    void clear() throws IOException {
      for (Path f : files()) {
        Files.delete(f);
      }
    }

    /** The largest peak of the run's JVMs. */
    OptionalLong peakKiB() throws IOException {
      OptionalLong peak = OptionalLong.empty();
      for (Path f : files()) {
        OptionalLong p = GcLog.peakKiB(f);
        if (p.isPresent() && (peak.isEmpty() || p.getAsLong() > peak.getAsLong())) {
          peak = p;
        }
      }
      return peak;
    }

    private List<Path> files() throws IOException {
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(
                f -> f.getFileName().toString().matches(Pattern.quote(name) + "-\\d+\\.log"))
            .sorted()
            .toList();
      }
    }
  }

  static OptionalLong peakKiB(Path log) throws IOException {
    if (!Files.isRegularFile(log)) {
      return OptionalLong.empty();
    }
    long peak = -1;
    for (String line : Files.readAllLines(log)) {
      Matcher m = SIZES.matcher(line);
      while (m.find()) {
        peak = Math.max(peak, kib(m.group(1), m.group(2)));
        peak = Math.max(peak, kib(m.group(3), m.group(4)));
      }
      Matcher exit = EXIT_USED.matcher(line);
      if (exit.find()) {
        peak = Math.max(peak, Long.parseLong(exit.group(1)));
      }
    }
    return peak < 0 ? OptionalLong.empty() : OptionalLong.of(peak);
  }

  private static long kib(String value, String unit) {
    long v = Long.parseLong(value);
    return switch (unit) {
      case "K" -> v;
      case "M" -> v * 1024;
      default -> v * 1024 * 1024;
    };
  }
}
