package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard stages of image-rootfs, in the order they run within their phases. This is where the
 * spec is read: each stage is built from its options record, mapped here from the spec.
 */
public final class RootfsStageProvider implements StageProvider {
  @Override
  public List<Stage> stages(ImageSpec spec) {
    List<Stage> stages = new ArrayList<>();
    // A base image takes the bootstrap's place; its sha256 is taken here, for the stage ids.
    stages.add(
        spec.baseImage() != null
            ? new BaseImageStage(BaseImageStage.Options.of(spec))
            : new BootstrapStage(BootstrapStage.Options.of(spec)));
    stages.add(new SourcesStage(SourcesStage.Options.of(spec)));
    if (!spec.localPackages().isEmpty()) {
      stages.add(new LocalRepositoryStage(LocalRepositoryStage.Options.of(spec)));
      if (!spec.keepLocalRepository()) {
        stages.add(new LocalRepositoryStage.Removal(new LocalRepositoryStage.Removal.Options()));
      }
    }
    if (ListsStage.needed(spec)) {
      stages.add(new ListsStage(ListsStage.Options.of(spec)));
    }
    if (PackagesStage.needed(spec)) {
      stages.add(new PackagesStage(PackagesStage.Options.of(spec)));
    }
    stages.add(new CustomiseStage(CustomiseStage.Options.of(spec)));
    stages.add(new FinaliseStage(FinaliseStage.Options.standard()));
    if (TarballStage.needed(spec)) {
      stages.add(new TarballStage(TarballStage.Options.of(spec)));
    }
    return stages;
  }
}
