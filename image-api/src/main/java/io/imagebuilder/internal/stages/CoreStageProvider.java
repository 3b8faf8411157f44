package io.imagebuilder.internal.stages;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageProvider;
import java.util.List;

/** The stages that need nothing but an executor: the spec's hooks. */
public final class CoreStageProvider implements StageProvider {
  @Override
  public List<Stage> stages(ImageSpec spec) {
    return spec.hooks().stream().<Stage>map(h -> new HookStage(HookStage.Options.of(h))).toList();
  }
}
