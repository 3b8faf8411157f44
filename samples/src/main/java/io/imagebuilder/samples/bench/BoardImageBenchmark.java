package io.imagebuilder.samples.bench;

import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestPackage;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.api.StageInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Builds a board's bootable disk image (Debian bookworm minbase plus the packages asked, default
 * openssh-server) twice in one run and prints the two side by side: (a) with ImageBuilder end to
 * end, {@code imagebuilder build --board ID -p PKGS} with an empty {@code --cache}; (b) with
 * mmdebstrap making the root filesystem with the same package set and the same initramfs settings,
 * then the same board, finalise, manifest and disk assembly stages ({@link MmdebstrapBoardBuild}).
 * Both are cold: (a) downloads everything, mmdebstrap keeps no cache. Then (c), unless {@code
 * --no-warm}: ours again with one more package ({@code --warm-package}, default less) on (a)'s
 * cache, which reuses every stage the package list does not feed (the bootstrap and the board's
 * kernel), compared to (a).
 *
 * <p>Each build is a child JVM under {@code /usr/bin/time -v} with the launcher's JVM options and a
 * GC log: wall time and CPU time of the whole build, peak RSS of its largest process, peak heap of
 * its JVM. mmdebstrap inside (b) is timed on its own as well. Stage times and package lists come
 * from each build's manifest. The images stay in the work directory, to be booted.
 *
 * <p>Usage: see {@link BoardBenchmarkOptions#USAGE}.
 */
public final class BoardImageBenchmark {
  private final BoardBenchmarkOptions o;

  private BoardImageBenchmark(BoardBenchmarkOptions options) {
    this.o = options;
  }

  public static void main(String[] args) throws Exception {
    BoardBenchmarkOptions options =
        BoardBenchmarkOptions.parse(args, ProcessHandle.current().pid());
    if (!Files.isRegularFile(options.jar())) {
      throw new IllegalArgumentException(
          "no jar at '" + options.jar() + "' (build it with ./imagebuilder --version)");
    }
    new BoardImageBenchmark(options).run();
  }

  private void run() throws IOException, InterruptedException {
    Path work = o.work().toAbsolutePath();
    Files.createDirectories(work);
    String loadBefore = BootstrapBenchmark.loadAverage();
    List<String> cli = List.of("-jar", o.jar().toAbsolutePath().toString());
    BoardResultTable.Side ours = build("imagebuilder", cli, o.packages(), true, work);
    Path timing = work.resolve("mmdebstrap-timing.txt");
    Files.deleteIfExists(timing);
    BoardResultTable.Side peer =
        build(
            "mmdebstrap+assembly",
            List.of(
                "-cp",
                o.jar().toAbsolutePath().toString(),
                MmdebstrapBoardBuild.class.getName(),
                timing.toString(),
                work.resolve("mmdebstrap.log").toString()),
            o.packages(),
            true,
            work);
    BoardResultTable.Side warm = null;
    if (o.warmPackage() != null) {
      List<String> more = new ArrayList<>(o.packages());
      more.add(o.warmPackage());
      warm = build("imagebuilder", cli, more, false, work);
    }
    String machine =
        String.format(
            Locale.ROOT,
            "%d cores, shared (other builds may run); load average before %s, after %s",
            Runtime.getRuntime().availableProcessors(),
            loadBefore,
            BootstrapBenchmark.loadAverage());
    BoardResultTable.Conditions conditions =
        new BoardResultTable.Conditions(
            o.board()
                + " disk image: Debian bookworm minbase + "
                + String.join(",", o.packages())
                + "; both cold, one after the other",
            "mmdebstrap --variant=minbase --include=<board packages>,"
                + String.join(",", o.packages())
                + " (fair variant: board.kernel's initramfs settings via --setup-hook), then the same"
                + " sources, board.kernel, customise, finalise, manifest and disk.assemble stages",
            machine,
            o.jvm());
    String report = BoardResultTable.format(conditions, ours, peer, TimingFile.read(timing), warm);
    System.out.print(report);
    Files.writeString(work.resolve("results.txt"), report);
    System.out.println(
        "(results in "
            + work.resolve("results.txt")
            + "; images in "
            + work.resolve("out-imagebuilder")
            + " and "
            + work.resolve("out-mmdebstrap+assembly")
            + ")");
    if (!o.keep()) {
      BootstrapBenchmark.deleteTree(work.resolve("cache-imagebuilder"));
      BootstrapBenchmark.deleteTree(work.resolve("cache-mmdebstrap+assembly"));
    }
  }

  /**
   * Runs one side's build (a child JVM running {@code main}) of the board with {@code packages}, in
   * a fresh output directory; {@code cold}: with a fresh cache, else on the one {@code name}'s cold
   * build left (the row is then named "NAME +PACKAGE warm").
   */
  private BoardResultTable.Side build(
      String name, List<String> main, List<String> packages, boolean cold, Path work)
      throws IOException, InterruptedException {
    Path cache = work.resolve("cache-" + name);
    if (!cold) {
      name = name + " +" + packages.get(packages.size() - 1) + " warm";
    }
    Path out = work.resolve("out-" + name.replace(' ', '-'));
    if (cold) {
      BootstrapBenchmark.deleteTree(cache);
    }
    BootstrapBenchmark.deleteTree(out);
    GcLog.Logs gcLog = new GcLog.Logs(work, "gc-" + name.replace(' ', '-'));
    gcLog.clear();
    List<String> cmd = new ArrayList<>(List.of(BootstrapBenchmark.javaBinary()));
    cmd.addAll(o.javaOptions());
    cmd.addAll(List.of("-Xmx" + o.xmx(), gcLog.option()));
    cmd.addAll(main);
    cmd.addAll(
        List.of(
            "build",
            "--board",
            o.board(),
            "--package",
            String.join(",", packages),
            "--cache",
            cache.toString(),
            "--out",
            out.toString()));
    Path log = work.resolve(name.replace(' ', '-') + ".log");
    System.err.println("benchmark: " + name + " ... (log: " + log + ")");
    TimedChild.settle();
    TimedChild.Timing t = TimedChild.run(cmd, log);
    if (t.exitCode() != 0) {
      throw new IOException(
          name
              + " failed with exit code "
              + t.exitCode()
              + "; see "
              + log
              + ":\n"
              + BootstrapBenchmark.tail(log));
    }
    System.err.printf(
        Locale.ROOT,
        "benchmark: %s took %.1f s (CPU %.1f s)%n",
        name,
        t.wall().toMillis() / 1000.0,
        t.cpu().toMillis() / 1000.0);
    Path image = only(out, ".img");
    Manifest manifest = Manifests.read(only(out, ".manifest.json"));
    OptionalLong heap = gcLog.peakKiB();
    Measurement m = new Measurement(t.wall(), t.cpu(), t.maxRssKiB(), heap, Files.size(image));
    return new BoardResultTable.Side(
        name,
        m,
        stageTimes(manifest),
        manifest.packages().stream().map(ManifestPackage::name).toList());
  }

  /** Stage durations by type, in the order they ran (a type that ran twice is summed). */
  static Map<String, Duration> stageTimes(Manifest manifest) {
    Map<String, Duration> times = new LinkedHashMap<>();
    if (manifest.build() != null) {
      for (StageInfo s : manifest.build().stages()) {
        Duration d =
            s.durationMillis() == null ? Duration.ZERO : Duration.ofMillis(s.durationMillis());
        times.merge(s.type(), d, Duration::plus);
      }
    }
    return times;
  }

  private static Path only(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
      if (found.size() != 1) {
        throw new IOException("expected one *" + suffix + " in " + dir + ", found " + found);
      }
      return found.get(0);
    }
  }
}
