package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.rootfs.internal.tar.RootfsTarball;
import io.imagebuilder.rootfs.internal.tar.TarballResult;
import java.util.List;
import java.util.Map;

/**
 * {@code rootfs.tarball}: writes the rootfs as each tarball format the spec asks for ({@code tar},
 * {@code tar.gz}, {@code tar.xz}, {@code tar.zst}): entries sorted, numeric owners, mtimes clamped
 * to SOURCE_DATE_EPOCH, written under a temporary name and renamed when complete.
 *
 * <p>Options ({@link Options}): {@code name} (the file name without extension), {@code formats}.
 */
final class TarballStage implements Stage {
  /**
   * What the tarball stage reads.
   *
   * @param name the file name without extension
   * @param formats the tarball formats to write
   */
  record Options(String name, List<OutputFormat> formats) {
    Options {
      formats = List.copyOf(formats);
    }

    static Options of(ImageSpec spec) {
      return new Options(
          artifactName(spec), spec.outputs().stream().filter(f -> !f.isDiskImage()).toList());
    }
  }

  private final Options options;
  private final String name;
  private final List<OutputFormat> formats;

  TarballStage(Options options) {
    this.options = options;
    this.name = options.name();
    this.formats = options.formats();
  }

  /** {@code debian-bookworm-arm64}, or with the board instead of the architecture. */
  static String artifactName(ImageSpec spec) {
    String target = spec.board() != null ? spec.board() : spec.architecture().debianName();
    return spec.distribution().id() + "-" + spec.series() + "-" + target;
  }

  static boolean needed(ImageSpec spec) {
    return spec.outputs().stream().anyMatch(f -> !f.isDiskImage());
  }

  @Override
  public String type() {
    return "rootfs.tarball";
  }

  @Override
  public String summary() {
    return formats.stream().map(f -> name + "." + f).reduce((a, b) -> a + ", " + b).orElse("");
  }

  @Override
  public Phase phase() {
    return Phase.ASSEMBLE;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public List<OutputFormat> produces() {
    return formats;
  }

  @Override
  public void run(StageContext context) throws ImageBuildException {
    long epoch = context.requireSourceDateEpoch("the tarball's timestamps");
    for (OutputFormat format : formats) {
      context.checkCancelled();
      TarballResult written =
          RootfsTarball.write(
              context.rootfs(),
              context.outputDir().resolve(name + "." + format.extension()),
              format,
              epoch);
      context.addArtifact(new Artifact(written.file(), format, written.size(), written.sha256()));
      context.log("wrote " + written.file() + " (" + written.size() + " bytes)");
    }
  }
}
