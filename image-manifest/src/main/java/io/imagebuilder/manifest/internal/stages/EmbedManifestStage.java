package io.imagebuilder.manifest.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.internal.RootfsFileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code manifest.embed}: writes the manifest into the image at {@link Manifests#EMBEDDED_PATH},
 * after the reproducibility clean-up and before any artifact is assembled. The embedded copy
 * ({@link Manifest#embeddedCopy()}) holds the spec and its hash, the repositories, every
 * installed package, the lock, the library version, SOURCE_DATE_EPOCH and this stage's id (which
 * names every stage before it); not the artifacts, durations, executor or host, so the same spec
 * and packages give the same bytes. The file (0644) and the directories it adds get
 * SOURCE_DATE_EPOCH as timestamp.
 *
 * <p>Needs only a rootfs with {@code /var/lib/dpkg/status}; uses {@code REPOSITORIES} and
 * {@code PACKAGE_ORIGINS} when the bootstrap recorded them. Options: {@code path}, {@code
 * schemaVersion}. Host tools: none.
 */
public final class EmbedManifestStage implements Stage {
  /** After every standard finalise step, which clamps timestamps before this runs. */
  static final int ORDER_AFTER_FINALISE = 900;

  @Override
  public String type() {
    return "manifest.embed";
  }

  @Override
  public String summary() {
    return "write the manifest into the image at " + Manifests.EMBEDDED_PATH;
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
    return Map.of("path", Manifests.EMBEDDED_PATH, "schemaVersion", Manifest.SCHEMA_VERSION);
  }

  @Override
  public void run(StageContext context) throws ImageBuildException {
    Manifest manifest = RootfsManifest.of(context, RootfsManifest.stagesSoFar(context));
    byte[] json = manifest.embeddedCopy().toJson().getBytes(StandardCharsets.UTF_8);
    Long epoch = context.sourceDateEpoch().orElse(null);
    if (epoch == null) {
      context.log("no SOURCE_DATE_EPOCH known: " + Manifests.EMBEDDED_PATH + " keeps the clock's timestamp");
    }
    try {
      RootfsFileWriter.write(context.rootfs(), Manifests.EMBEDDED_PATH, json, epoch);
    } catch (IOException e) {
      throw new ImageBuildException("cannot write " + Manifests.EMBEDDED_PATH + " into the image: " + e.getMessage(), e);
    }
    context.log("embedded the manifest of " + manifest.packages().size() + " packages at " + Manifests.EMBEDDED_PATH);
  }
}
