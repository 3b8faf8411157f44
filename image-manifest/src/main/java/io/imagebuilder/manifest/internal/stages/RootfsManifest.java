package io.imagebuilder.manifest.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.BaseImage;
import io.imagebuilder.api.stage.BuildProvenance;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.UsedRepository;
import io.imagebuilder.manifest.api.BuildInfo;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestBaseImage;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.api.StageInfo;
import io.imagebuilder.manifest.internal.LibraryVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The manifest of a build's rootfs as the stages left it, from the build's provenance. */
final class RootfsManifest {
  private RootfsManifest() {}

  /**
   * Reads the rootfs's dpkg status and joins the repositories and origins of the build's
   * provenance; {@code stages} are the stages known to have run (with their ids).
   */
  static Manifest of(ImageSpec spec, StageContext context, List<StageInfo> stages)
      throws ImageBuildException {
    BuildProvenance provenance = context.provenance();
    List<UsedRepository> repositories = provenance.repositories();
    Map<String, PackageOrigin> origins = provenance.packageOrigins();
    BuildInfo build =
        new BuildInfo(
            LibraryVersion.get(),
            context.executor().name(),
            hostArchitecture(),
            context.sourceDateEpoch().orElse(null),
            stages,
            provenance.nonReproducible());
    try {
      BaseImage base = provenance.baseImage();
      return Manifests.fromRootfs(spec, context.rootfs(), repositories, origins, build)
          .withBaseImage(
              base == null ? null : new ManifestBaseImage(base.sha256(), base.specHash()));
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageBuildException(
          "cannot read the installed packages of " + context.rootfs() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The stages that completed, with their durations, and the one running now (no duration yet),
   * each with its log file when the engine wrote one.
   */
  static List<StageInfo> stagesSoFar(StageContext context) {
    Map<String, String> logs = context.stageLogs();
    List<StageInfo> list = new ArrayList<>();
    for (CompletedStage s : context.completedStages()) {
      list.add(new StageInfo(s.type(), s.id(), s.duration().toMillis(), logs.get(s.id())));
    }
    String current = context.currentStageId();
    list.add(new StageInfo(context.currentStageType(), current, null, logs.get(current)));
    return list;
  }

  static String hostArchitecture() {
    try {
      return Architecture.host().debianName();
    } catch (IllegalStateException e) {
      return System.getProperty("os.arch");
    }
  }
}
