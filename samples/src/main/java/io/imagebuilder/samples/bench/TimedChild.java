package io.imagebuilder.samples.bench;

import io.imagebuilder.internal.process.HostProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a command as a child process under {@code /usr/bin/time -v} and reads its wall time and peak
 * resident memory. The child's own output goes to a log file, so a failure can be shown.
 */
final class TimedChild {
  private static final Pattern MAX_RSS =
      Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
  private static final Pattern USER = Pattern.compile("User time \\(seconds\\): ([0-9.]+)");
  private static final Pattern SYSTEM = Pattern.compile("System time \\(seconds\\): ([0-9.]+)");

  /** A benchmark run has no limit of its own; this only bounds a hung one. */
  private static final Duration TIMEOUT = Duration.ofHours(6);

  /**
   * Passed on from the benchmark's own environment, so both children download as the host is set up
   * to (a proxy) and find their home and cache; the library's IMAGEBUILDER_* settings too.
   */
  private static final List<String> PASSED_ON =
      List.of("HOME", "XDG_CACHE_HOME", "http_proxy", "https_proxy", "no_proxy");

  private TimedChild() {}

  /**
   * Result of {@link #run}: wall time, CPU time (user + system, the whole tree), peak RSS in KiB,
   * exit code.
   */
  record Timing(Duration wall, Duration cpu, long maxRssKiB, int exitCode) {}

  private static double seconds(Pattern p, String report) {
    Matcher m = p.matcher(report);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * Writes out what earlier rows left in the page cache ({@code sync}) and then drops the clean
   * pages ({@code vm.drop_caches=1}), untimed, before a row starts: otherwise the kernel flushes a
   * row's gigabytes of trees and images while the next row runs, on the same two cores and disk,
   * and that row pays for them; and on this project's build host file creation slows several times
   * over as the page cache fills (extracting a board's 828 MB tree took 16-20 s of system time with
   * 9 GiB cached, 2.2 s right after a drop). Every row of both tools starts from the same state:
   * what it reads (the package cache, a cached tree) comes from the disk.
   */
  static void settle() throws IOException, InterruptedException {
    HostProcess.Result r = HostProcess.of("sync").timeout(Duration.ofMinutes(10)).run(line -> {});
    if (!r.ok()) {
      throw new IOException("sync failed with exit code " + r.exitCode() + ": " + r.output());
    }
    Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1\n", StandardCharsets.US_ASCII);
  }

  static Timing run(List<String> command, Path log) throws IOException, InterruptedException {
    Path times = Files.createTempFile(log.getParent(), "time-", ".txt");
    List<String> argv = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", times.toString()));
    argv.addAll(command);
    HostProcess child = HostProcess.of(argv).outputTo(log).timeout(TIMEOUT);
    System.getenv()
        .forEach(
            (name, value) -> {
              if (PASSED_ON.contains(name) || name.startsWith("IMAGEBUILDER_")) {
                child.env(name, value);
              }
            });
    HostProcess.Result r = child.run(line -> {});
    int exit = r.exitCode();
    Duration wall = r.elapsed();
    String report = Files.readString(times);
    Files.delete(times);
    Matcher m = MAX_RSS.matcher(report);
    long rss = m.find() ? Long.parseLong(m.group(1)) : -1;
    double cpu = seconds(USER, report) + seconds(SYSTEM, report);
    return new Timing(wall, Duration.ofMillis(Math.round(cpu * 1000)), rss, exit);
  }
}
