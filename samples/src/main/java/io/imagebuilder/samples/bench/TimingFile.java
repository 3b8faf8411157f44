package io.imagebuilder.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link TimedChild.Timing} handed from one process to another as {@code key=value} lines: the
 * peer build times its mmdebstrap run, the benchmark prints it.
 */
final class TimingFile {
  private TimingFile() {}

  static String format(TimedChild.Timing t) {
    return "wallMillis="
        + t.wall().toMillis()
        + "\n"
        + "cpuMillis="
        + t.cpu().toMillis()
        + "\n"
        + "maxRssKiB="
        + t.maxRssKiB()
        + "\n"
        + "exitCode="
        + t.exitCode()
        + "\n";
  }

  static TimedChild.Timing parse(String text) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      try {
        values.put(line.substring(0, eq).trim(), Long.parseLong(line.substring(eq + 1).trim()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "invalid timing line '" + line + "' (expected key=number)", e);
      }
    }
    for (String key : new String[] {"wallMillis", "cpuMillis", "maxRssKiB", "exitCode"}) {
      if (!values.containsKey(key)) {
        throw new IllegalArgumentException(
            "timing has no " + key + " (expected wallMillis, cpuMillis, maxRssKiB, exitCode)");
      }
    }
    return new TimedChild.Timing(
        Duration.ofMillis(values.get("wallMillis")),
        Duration.ofMillis(values.get("cpuMillis")),
        values.get("maxRssKiB"),
        values.get("exitCode").intValue());
  }

  static void write(Path file, TimedChild.Timing t) throws IOException {
    Files.writeString(file, format(t));
  }

  static TimedChild.Timing read(Path file) throws IOException {
    return parse(Files.readString(file));
  }
}
