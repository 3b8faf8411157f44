package io.imagebuilder.manifest.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.internal.RootfsFileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code manifest.embed}: writes the manifest into the image at {@link Manifests#EMBEDDED_PATH},
 * after the reproducibility clean-up and before any artifact is assembled. The embedded copy
 * ({@link Manifest#embeddedCopy()}) holds the spec and its hash, the repositories, every installed
 * package, the lock, the library version, SOURCE_DATE_EPOCH and this stage's id (which names every
 * stage before it); not the artifacts, durations, executor or host, so the same spec and packages
 * give the same bytes. The file (0644) and the directories it adds get SOURCE_DATE_EPOCH as
 * timestamp.
 *
 * <p>Needs only a rootfs with {@code /var/lib/dpkg/status}; uses the repositories and package
 * origins of the build's provenance when the rootfs stages recorded them. Options ({@link
 * Options}): {@code spec}, {@code path}, {@code schemaVersion}. Host tools: none.
 */
public final class EmbedManifestStage implements Stage {
  /** After every standard finalise step, which clamps timestamps before this runs. */
  static final int ORDER_AFTER_FINALISE = 900;

  /**
   * What the embed stage reads.
   *
   * @param spec the spec the manifest records
   * @param path where in the image the manifest goes
   * @param schemaVersion the manifest's schema version
   */
  public record Options(ImageSpec spec, String path, int schemaVersion) {
    /**
     * The options for {@code spec}: the standard path and this library's schema version.
     *
     * @param spec the spec
     * @return the options
     */
    public static Options of(ImageSpec spec) {
      return new Options(spec, Manifests.EMBEDDED_PATH, Manifest.SCHEMA_VERSION);
    }
  }

  private final Options options;

  /**
   * The stage for {@code options}.
   *
   * @param options what it reads
   */
  public EmbedManifestStage(Options options) {
    this.options = options;
  }

  @Override
  public String type() {
    return "manifest.embed";
  }

  @Override
  public String summary() {
    return "write the manifest into the image at " + options.path();
  }

  @Override
  public Phase phase() {
    return Phase.FINALISE;
  }

  @Override
  public int orderInPhase() {
    return ORDER_AFTER_FINALISE;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public void run(StageContext context) throws ImageBuildException {
    Manifest manifest =
        RootfsManifest.of(options.spec(), context, RootfsManifest.stagesSoFar(context));
    byte[] json = manifest.embeddedCopy().toJson().getBytes(StandardCharsets.UTF_8);
    Long epoch = context.sourceDateEpoch().orElse(null);
    if (epoch == null) {
      context.log(
          "no SOURCE_DATE_EPOCH known: "
              + Manifests.EMBEDDED_PATH
              + " keeps the clock's timestamp");
    }
    try {
      RootfsFileWriter.write(context.rootfs(), options.path(), json, epoch);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write " + Manifests.EMBEDDED_PATH + " into the image: " + e.getMessage(), e);
    }
    context.log(
        "embedded the manifest of "
            + manifest.packages().size()
            + " packages at "
            + Manifests.EMBEDDED_PATH);
  }
}
