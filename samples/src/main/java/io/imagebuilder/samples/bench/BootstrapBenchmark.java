package io.imagebuilder.samples.bench;

import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.process.HostProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Builds bookworm minbase to a {@code tar.zst} with this library and with mmdebstrap, in the same
 * run, for each architecture asked (default amd64 and arm64; arm64 runs under qemu-user on an amd64
 * host), and prints wall time and peak memory of each side by side with the ratios.
 *
 * <p>Every build is a child process under {@code /usr/bin/time -v}: ours is {@code java -Xmx512m
 * OPTS -jar imagebuilder.jar build --arch A --format tar.zst --cache C}, mmdebstrap is {@code
 * mmdebstrap --variant=minbase --architectures=A bookworm out.tar.zst 'deb URI SUITE
 * COMPONENTS'...} with the suites our build read (its manifest's repositories: the series, its
 * updates and security suites), so both resolve the same package set. Both write a zstd-compressed
 * tar (mmdebstrap through the zstd tool at its default level, ours through zstd-jni). OPTS are the
 * {@code ./imagebuilder} launcher's JVM options unless {@code --java-opts} replaces them ({@code
 * --java-opts ""} for the JVM's own defaults). "Cold" for us is a fresh, empty {@code --cache}
 * directory: InRelease, Packages and every .deb are downloaded; "warm" is a second build with the
 * same cache (InRelease is still fetched and verified every time). mmdebstrap keeps no package
 * cache between runs by default, so it has one figure per architecture (always cold), which both of
 * our figures are compared to.
 *
 * <p>Rootless: for amd64, when the benchmark runs as root and the user {@code --rootless-user}
 * (default ibtest, made by {@code scripts/setup-host.sh --test-user}) exists, one more cold build
 * as that user ({@code runuser}, a clean environment, its own home, cache and copy of the jar under
 * the work directory), so the rootless strategy's cost shows beside the root build's; {@code
 * --no-rootless} leaves it out.
 *
 * <p>Usage: {@code BootstrapBenchmark [--arch amd64,arm64] [--jar samples/target/imagebuilder.jar]
 * [--work DIR] [--xmx 512m] [--mirror URL] [--java-opts "-XX:..."] [--no-mmdebstrap]
 * [--rootless-user NAME | --no-rootless] [--keep]}.
 */
public final class BootstrapBenchmark {
  private static final String SERIES = "bookworm";

  private final List<String> arches;
  private final Path jar;
  private final Path work;
  private final String xmx;
  private final String mirror;
  private final boolean mmdebstrap;
  private final boolean keep;
  private final List<String> javaOptions;
  private final String rootlessUser;

  private BootstrapBenchmark(
      List<String> arches,
      Path jar,
      Path work,
      String xmx,
      String mirror,
      boolean mmdebstrap,
      boolean keep,
      List<String> javaOptions,
      String rootlessUser) {
    this.arches = arches;
    this.jar = jar;
    this.work = work;
    this.xmx = xmx;
    this.mirror = mirror;
    this.mmdebstrap = mmdebstrap;
    this.keep = keep;
    this.javaOptions = javaOptions;
    this.rootlessUser = rootlessUser;
  }

  public static void main(String[] args) throws Exception {
    List<String> arches = List.of("amd64", "arm64");
    Path jar = Path.of("samples/target/imagebuilder.jar");
    Path work = Path.of("/var/tmp/ib-bench-" + ProcessHandle.current().pid());
    String xmx = "512m";
    String mirror = "http://deb.debian.org/debian";
    boolean mm = true;
    boolean keep = false;
    List<String> javaOptions = BoardBenchmarkOptions.LAUNCHER_JAVA_OPTIONS;
    String rootlessUser = "ibtest";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--arch" -> arches = List.of(value(args, ++i).split(","));
        case "--jar" -> jar = Path.of(value(args, ++i));
        case "--work" -> work = Path.of(value(args, ++i));
        case "--xmx" -> xmx = value(args, ++i);
        case "--mirror" -> mirror = value(args, ++i);
        case "--no-mmdebstrap" -> mm = false;
        case "--keep" -> keep = true;
        case "--rootless-user" -> rootlessUser = value(args, ++i);
        case "--no-rootless" -> rootlessUser = null;
        case "--java-opts" -> {
          String v = value(args, ++i).trim();
          javaOptions = v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
        }
        default ->
            throw new IllegalArgumentException(
                "unknown argument '"
                    + args[i]
                    + "' (expected --arch, --jar, --work, --xmx, --mirror, --java-opts, --no-mmdebstrap,"
                    + " --rootless-user, --no-rootless or --keep)");
      }
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "no jar at '" + jar + "' (build it with ./imagebuilder --version)");
    }
    new BootstrapBenchmark(
            arches,
            jar.toAbsolutePath(),
            work.toAbsolutePath(),
            xmx,
            mirror,
            mm,
            keep,
            javaOptions,
            rootlessUser)
        .run();
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("'" + args[i - 1] + "' needs a value");
    }
    return args[i];
  }

  private void run() throws IOException, InterruptedException {
    Files.createDirectories(work);
    String loadBefore = loadAverage();
    List<ResultRow> rows = new ArrayList<>();
    for (String arch : arches) {
      Path cache = work.resolve("cache-" + arch);
      deleteTree(cache);
      rows.add(ours(arch, "cold", cache));
      rows.add(ours(arch, "warm", cache));
      if (arch.equals("amd64") && rootlessUser != null) {
        rootless(arch).ifPresent(rows::add);
      }
      if (mmdebstrap) {
        rows.add(theirs(arch, PeerSources.of(manifestOf(arch, "warm"))));
      }
      if (!keep) {
        deleteTree(cache);
      }
    }
    String report =
        ResultTable.format(
            rows,
            loadBefore,
            loadAverage(),
            xmx + (javaOptions.isEmpty() ? "" : " " + String.join(" ", javaOptions)));
    System.out.print(report);
    Files.writeString(work.resolve("results.txt"), report);
    System.out.println("(results also in " + work.resolve("results.txt") + ")");
  }

  private ResultRow ours(String arch, String cache, Path cacheDir)
      throws IOException, InterruptedException {
    Path out = work.resolve("ours-" + cache + "-" + arch);
    deleteTree(out);
    GcLog.Logs gcLog = new GcLog.Logs(work, "gc-" + cache + "-" + arch);
    gcLog.clear();
    List<String> cmd = ourBuild(jar, gcLog, arch, out, cacheDir);
    Measurement m =
        measure(
            "imagebuilder " + arch + " " + cache,
            cmd,
            out.resolve("debian-" + SERIES + "-" + arch + ".tar.zst"),
            gcLog);
    if (!keep && !cache.equals("warm")) {
      deleteTree(out); // the warm build's manifest gives the peer its sources
    }
    return new ResultRow(arch, "imagebuilder", cache, m);
  }

  /** Our JVM (its options and GC log) building minbase {@code arch} as tar.zst into {@code out}. */
  private List<String> ourBuild(Path jar, GcLog.Logs gcLog, String arch, Path out, Path cacheDir) {
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx" + xmx, gcLog.option()));
    cmd.addAll(javaOptions);
    cmd.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "build",
            "--series",
            SERIES,
            "--arch",
            arch,
            "--variant",
            "minbase",
            "--format",
            "tar.zst",
            "--mirror",
            mirror,
            "--out",
            out.toString(),
            "--cache",
            cacheDir.toString()));
    return cmd;
  }

  /**
   * A cold build as {@link #rootlessUser}, in a home of its own under the work directory; empty
   * (with a note) when the benchmark is not root or the user does not exist.
   */
  private Optional<ResultRow> rootless(String arch) throws IOException, InterruptedException {
    if (!isRoot() || !userExists(rootlessUser)) {
      System.err.println(
          "benchmark: no rootless row (needs root and the user '"
              + rootlessUser
              + "': scripts/setup-host.sh --test-user)");
      return Optional.empty();
    }
    Path home = work.resolve("rootless-" + arch);
    deleteTree(home);
    Files.createDirectories(home);
    Files.setOwner(
        home,
        home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(rootlessUser));
    // the checkout may be out of the user's reach
    Path userJar = Files.copy(jar, home.resolve("imagebuilder.jar"));
    Path out = home.resolve("out");
    GcLog.Logs gcLog = new GcLog.Logs(home, "gc");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "runuser",
                "-u",
                rootlessUser,
                "--",
                "env",
                "-i",
                "HOME=" + home,
                "PATH=/usr/bin:/bin",
                "LANG=C.UTF-8"));
    cmd.addAll(ourBuild(userJar, gcLog, arch, out, home.resolve("cache")));
    Measurement m =
        measure(
            "imagebuilder " + arch + " rootless",
            cmd,
            out.resolve("debian-" + SERIES + "-" + arch + ".tar.zst"),
            gcLog);
    if (!keep) {
      deleteTree(home);
    }
    return Optional.of(new ResultRow(arch, ROOTLESS_TOOL, "cold", m));
  }

  /** The tool column of the rootless row. */
  static final String ROOTLESS_TOOL = "ib rootless";

  private static boolean isRoot() throws IOException, InterruptedException {
    HostProcess.Result r = HostProcess.of("id", "-u").timeout(Duration.ofSeconds(30)).run(l -> {});
    return r.ok() && r.output().strip().equals("0");
  }

  private static boolean userExists(String user) throws IOException, InterruptedException {
    return HostProcess.of("id", "-u", user).timeout(Duration.ofSeconds(30)).run(l -> {}).ok();
  }

  private Path manifestOf(String arch, String cache) {
    return work.resolve("ours-" + cache + "-" + arch)
        .resolve("debian-" + SERIES + "-" + arch + ".manifest.json");
  }

  /** mmdebstrap from {@code sources}, the suites our build read. */
  private ResultRow theirs(String arch, List<String> sources)
      throws IOException, InterruptedException {
    Path out = work.resolve("mmdebstrap-" + arch + ".tar.zst");
    Files.deleteIfExists(out);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "mmdebstrap",
                "--variant=minbase",
                "--architectures=" + arch,
                SERIES,
                out.toString()));
    cmd.addAll(sources);
    Measurement m = measure("mmdebstrap " + arch, cmd, out, null);
    if (!keep) {
      Files.deleteIfExists(out);
      deleteTree(work.resolve("ours-warm-" + arch));
    }
    return new ResultRow(arch, "mmdebstrap", "none", m);
  }

  private Measurement measure(String what, List<String> cmd, Path output, GcLog.Logs gcLog)
      throws IOException, InterruptedException {
    Path log = work.resolve(what.replace(' ', '-') + ".log");
    System.err.println("benchmark: " + what + " ... (log: " + log + ")");
    TimedChild.settle();
    TimedChild.Timing t = TimedChild.run(cmd, log);
    if (t.exitCode() != 0) {
      throw new IOException(
          what + " failed with exit code " + t.exitCode() + "; see " + log + ":\n" + tail(log));
    }
    long size = Files.isRegularFile(output) ? Files.size(output) : -1;
    OptionalLong heap = gcLog == null ? OptionalLong.empty() : gcLog.peakKiB();
    System.err.printf(
        Locale.ROOT,
        "benchmark: %s took %.1f s (CPU %.1f s)%n",
        what,
        t.wall().toMillis() / 1000.0,
        t.cpu().toMillis() / 1000.0);
    return new Measurement(t.wall(), t.cpu(), t.maxRssKiB(), heap, size);
  }

  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void deleteTree(Path dir) throws IOException {
    SafeDelete.deleteTreeOrThrow(dir);
  }

  /** One line of the table. */
  record ResultRow(String arch, String tool, String cache, Measurement m) {
    Duration wall() {
      return m.wall();
    }
  }
}
