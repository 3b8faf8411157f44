package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageProvider;
import java.util.ArrayList;
import java.util.List;

/** The standard stages of image-rootfs, in the order they run within their phases. */
public final class RootfsStageProvider implements StageProvider {
  @Override
  public List<Stage> stages(ImageSpec spec) {
    if (spec.baseImage() != null) {
      // The spec and requests carry it already; unpacking a base image is not written yet.
      throw new IllegalArgumentException("building from a base image ('" + spec.baseImage()
          + "') is not supported yet: leave it out to bootstrap from " + spec.mirror());
    }
    List<Stage> stages = new ArrayList<>();
    stages.add(new BootstrapStage(spec));
    stages.add(new SourcesStage(spec));
    if (!spec.localPackages().isEmpty()) {
      stages.add(new LocalRepositoryStage(spec));
      if (!spec.keepLocalRepository()) {
        stages.add(new LocalRepositoryStage.Removal());
      }
    }
    if (PackagesStage.needed(spec)) {
      stages.add(new PackagesStage(spec));
    }
    stages.add(new CustomiseStage(spec));
    stages.add(new FinaliseStage());
    if (TarballStage.needed(spec)) {
      stages.add(new TarballStage(spec));
    }
    return stages;
  }
}
