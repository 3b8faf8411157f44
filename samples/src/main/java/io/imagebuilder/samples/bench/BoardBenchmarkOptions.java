package io.imagebuilder.samples.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@link BoardImageBenchmark}.
 *
 * @param board the board whose disk image both sides build, e.g. {@code qemu-arm64}
 * @param packages packages both images get besides the board's
 * @param jar the shaded jar with the CLI and the benchmark
 * @param work where caches, logs, images and results go
 * @param xmx the heap limit of both JVMs
 * @param javaOptions further JVM options of both builds; default those of the {@code
 *     ./imagebuilder} launcher
 * @param keep whether the package caches are kept (the images always are)
 * @param warmPackage the package our warm rebuild adds (on the cold build's cache), or null for no
 *     warm rebuild
 */
record BoardBenchmarkOptions(
    String board,
    List<String> packages,
    Path jar,
    Path work,
    String xmx,
    List<String> javaOptions,
    boolean keep,
    String warmPackage) {
  /**
   * The JVM options the {@code ./imagebuilder} launcher runs the CLI with (LauncherOptionsTest
   * keeps the two the same), so the benchmarks measure what a user runs.
   */
  static final List<String> LAUNCHER_JAVA_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m");

  static final String USAGE =
      "BoardImageBenchmark --board ID [--package P[,P...]] [--jar FILE] [--work DIR]"
          + " [--xmx 512m] [--java-opts \"...\"] [--warm-package P | --no-warm] [--keep]";

  BoardBenchmarkOptions {
    packages = List.copyOf(packages);
    javaOptions = List.copyOf(javaOptions);
  }

  /** Parses {@code args}; {@code pid} names the default work directory. */
  static BoardBenchmarkOptions parse(String[] args, long pid) {
    String board = null;
    List<String> packages = List.of("openssh-server");
    Path jar = Path.of("samples/target/imagebuilder.jar");
    Path work = Path.of("/var/tmp/ib-board-bench-" + pid);
    String xmx = "512m";
    List<String> javaOptions = LAUNCHER_JAVA_OPTIONS;
    boolean keep = false;
    String warmPackage = "less";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--board" -> board = value(args, ++i);
        case "--package", "-p" -> packages = names(value(args, ++i));
        case "--jar" -> jar = Path.of(value(args, ++i));
        case "--work" -> work = Path.of(value(args, ++i));
        case "--xmx" -> xmx = value(args, ++i);
        case "--java-opts" -> {
          String v = value(args, ++i).trim();
          javaOptions = v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
        }
        case "--keep" -> keep = true;
        case "--warm-package" -> warmPackage = names(value(args, ++i)).get(0);
        case "--no-warm" -> warmPackage = null;
        default ->
            throw new IllegalArgumentException(
                "unknown argument '" + args[i] + "' (expected " + USAGE + ")");
      }
    }
    if (board == null) {
      throw new IllegalArgumentException("missing --board (expected " + USAGE + ")");
    }
    if (!xmx.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException(
          "invalid --xmx '" + xmx + "' (expected a size such as 512m)");
    }
    if (warmPackage != null && packages.contains(warmPackage)) {
      throw new IllegalArgumentException(
          "--warm-package '"
              + warmPackage
              + "' is already in --package "
              + String.join(",", packages)
              + " (expected one more package)");
    }
    return new BoardBenchmarkOptions(
        board, packages, jar, work, xmx, javaOptions, keep, warmPackage);
  }

  /** The JVM options of both builds, as the results header shows them. */
  String jvm() {
    return String.join(" ", javaOptions) + (javaOptions.isEmpty() ? "" : " ") + "-Xmx" + xmx;
  }

  private static List<String> names(String value) {
    List<String> list = Arrays.stream(value.split(",")).map(String::trim).toList();
    if (list.isEmpty() || list.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          "invalid package list '" + value + "' (expected NAME[,NAME...])");
    }
    return list;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("'" + args[i - 1] + "' needs a value");
    }
    return args[i];
  }
}
