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
    List<Stage> stages = new ArrayList<>();
    // A base image takes the bootstrap's place; its sha256 is taken here, for the stage ids.
    stages.add(spec.baseImage() != null ? new BaseImageStage(spec) : new BootstrapStage(spec));
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
