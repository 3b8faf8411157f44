package io.imagebuilder.samples.bench;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.arm.internal.boot.BoardKernelStage;
import io.imagebuilder.arm.internal.boot.InitramfsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench.mmdebstrap}: the board benchmark's peer for {@code rootfs.bootstrap} and {@code
 * rootfs.packages}. Runs mmdebstrap on the host into the build's (empty) rootfs directory: {@code
 * --variant} of the spec, the spec's components, and {@code --include} of the board's kernel,
 * firmware and boot packages plus the spec's packages, all in one apt run.
 *
 * <p>Fair variant: a {@code --setup-hook} writes the same initramfs settings board.kernel writes
 * ({@link InitramfsSettings}: the board's module list, zstd level 3) before the kernel is
 * installed; mmdebstrap's default (MODULES=most) would spend over 20 minutes more in emulated
 * initramfs generation. It reads the suites the bootstrap it replaces reads (the series with its
 * updates and security suites, {@link PeerSources}). The apt lists are kept ({@code
 * --skip=cleanup/apt/lists}) as rootfs.packages leaves them, so board.kernel's apt run finds every
 * package installed and does nothing; its initramfs is made once, here. SOURCE_DATE_EPOCH becomes
 * the Release's Date, as the bootstrap it replaces does.
 *
 * <p>mmdebstrap runs under {@code /usr/bin/time -v}; its wall time, CPU time and peak RSS are
 * written to the timing file given (see {@link TimingFile}), its output to the log file. Host
 * tools: mmdebstrap, GNU time.
 */
final class MmdebstrapStage implements Stage {
  static final String TYPE = "bench.mmdebstrap";

  private final ImageSpec spec;
  private final Board board;
  private final List<String> sources;
  private final Path timingFile;
  private final Path logFile;

  /**
   * @param sources mmdebstrap's mirror arguments, {@code deb URI SUITE COMPONENTS} lines
   */
  MmdebstrapStage(
      ImageSpec spec, Board board, List<String> sources, Path timingFile, Path logFile) {
    this.spec = spec;
    this.board = board;
    this.sources = List.copyOf(sources);
    this.timingFile = timingFile;
    this.logFile = logFile;
  }

  /** Everything mmdebstrap installs besides the variant: the board's packages, then the spec's. */
  static List<String> includes(Board board, ImageSpec spec) {
    List<String> all = new ArrayList<>(BoardKernelStage.packages(board));
    spec.packages().stream().filter(p -> !all.contains(p)).forEach(all::add);
    return all;
  }

  /**
   * The mmdebstrap command line. {@code settingsFile} and {@code hookFile} (null when the board
   * lists no modules) are host files the setup hook installs into the target.
   */
  static List<String> argv(
      ImageSpec spec,
      Board board,
      List<String> sources,
      Path target,
      Path settingsFile,
      Path hookFile) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "mmdebstrap",
                "--mode=root",
                "--variant=" + spec.variant().id(),
                "--architectures=" + spec.architecture().debianName(),
                "--components=" + String.join(",", spec.components()),
                "--include=" + String.join(",", includes(board, spec)),
                "--skip=cleanup/apt/lists",
                "--setup-hook=" + installHook(settingsFile, InitramfsSettings.PATH, "0644")));
    if (hookFile != null) {
      argv.add("--setup-hook=" + installHook(hookFile, InitramfsSettings.HOOK, "0755"));
    }
    argv.addAll(List.of(spec.series(), target.toString()));
    argv.addAll(sources);
    return argv;
  }

  /** A setup hook (run by sh on the host, the target as $1) that installs one host file. */
  private static String installHook(Path hostFile, String imagePath, String mode) {
    String host = hostFile.toAbsolutePath().toString();
    if (host.contains("'")) {
      throw new IllegalArgumentException(
          "invalid work path '" + host + "' (expected no single quote)");
    }
    return "install -D -m " + mode + " '" + host + "' \"$1" + imagePath + "\"";
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String summary() {
    return "mmdebstrap "
        + spec.variant().id()
        + " "
        + spec.series()
        + " "
        + spec.architecture().debianName()
        + " with "
        + String.join(" ", includes(board, spec))
        + " (initramfs settings of board.kernel)";
  }

  @Override
  public Phase phase() {
    return Phase.BOOTSTRAP;
  }

  @Override
  public Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("suite", spec.series());
    o.put("architecture", spec.architecture().debianName());
    o.put("variant", spec.variant().id());
    o.put("sources", sources);
    o.put("components", spec.components());
    o.put("include", includes(board, spec));
    o.put("initramfsSettings", InitramfsSettings.content(board));
    o.put("keepAptLists", true);
    return o;
  }

  @Override
  public Map<String, String> hostTools() {
    return Map.of("mmdebstrap", "mmdebstrap", "time", "time");
  }

  @Override
  public void verify(StageContext context) throws ImageBuildException {
    List<String> unsupported = new ArrayList<>();
    if (!spec.excludedPackages().isEmpty()) {
      unsupported.add("excluded packages");
    }
    if (!spec.repositories().isEmpty()
        || !spec.ppas().isEmpty()
        || !spec.localPackages().isEmpty()) {
      unsupported.add("extra repositories, PPAs or local packages");
    }
    if (spec.baseImage() != null) {
      unsupported.add("a base image");
    }
    if (!unsupported.isEmpty()) {
      throw new ImageBuildException(
          "the mmdebstrap peer does not do "
              + String.join(", ", unsupported)
              + " (expected a series, a board and packages from the archive)");
    }
    try (Stream<Path> entries = Files.list(context.rootfs())) {
      if (entries.findAny().isPresent()) {
        throw new ImageBuildException(
            "refusing to run mmdebstrap into '" + context.rootfs() + "' (not empty)");
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot read " + context.rootfs() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    Path setup = context.workDir().resolve("mmdebstrap-setup");
    TimedChild.Timing t;
    try {
      Files.createDirectories(setup);
      Path settings =
          Files.writeString(setup.resolve("imagebuilder.conf"), InitramfsSettings.content(board));
      String hook = InitramfsSettings.hook(board);
      Path hookFile =
          hook == null ? null : Files.writeString(setup.resolve("imagebuilder-modules"), hook);
      List<String> argv = argv(spec, board, sources, context.rootfs(), settings, hookFile);
      context.log(String.join(" ", argv));
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      t = TimedChild.run(argv, logFile);
      if (timingFile != null) {
        TimingFile.write(timingFile, t);
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot run mmdebstrap: " + e.getMessage(), e);
    }
    if (t.exitCode() != 0) {
      throw new ImageBuildException(
          "mmdebstrap failed with exit code " + t.exitCode() + "; see " + logFile);
    }
    context.log(
        String.format(
            Locale.ROOT,
            "mmdebstrap took %.1f s (CPU %.1f s, peak RSS %d KiB); log %s",
            t.wall().toMillis() / 1000.0,
            t.cpu().toMillis() / 1000.0,
            t.maxRssKiB(),
            logFile));
    if (context.sourceDateEpoch().isEmpty()) {
      context.setSourceDateEpoch(releaseDate(context.rootfs()));
    }
  }

  /**
   * The latest Date among the InRelease files mmdebstrap's apt left in the lists, as the bootstrap
   * takes the latest among the suites it reads.
   */
  private long releaseDate(Path rootfs) throws ImageBuildException {
    Path lists = rootfs.resolve("var/lib/apt/lists");
    long latest = -1;
    try (Stream<Path> files = Files.list(lists)) {
      for (Path inRelease :
          files.filter(f -> f.getFileName().toString().endsWith("_InRelease")).toList()) {
        long date =
            ReleaseDate.epochSeconds(Files.readString(inRelease))
                .orElseThrow(() -> new ImageBuildException(inRelease + " has no Date field"));
        latest = Math.max(latest, date);
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot read the apt lists in " + lists + ": " + e.getMessage(), e);
    }
    if (latest < 0) {
      throw new ImageBuildException(
          "no *_InRelease in " + lists + " (expected mmdebstrap to keep the apt lists)");
    }
    return latest;
  }
}
