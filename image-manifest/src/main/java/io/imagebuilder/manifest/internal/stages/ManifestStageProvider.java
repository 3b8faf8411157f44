package io.imagebuilder.manifest.internal.stages;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageProvider;
import java.util.List;

/**
 * Every build embeds its manifest and records it: {@code manifest.embed}, {@code manifest.record}.
 */
public final class ManifestStageProvider implements StageProvider {
  @Override
  public List<Stage> stages(ImageSpec spec) {
    return List.of(
        new EmbedManifestStage(EmbedManifestStage.Options.of(spec)),
        new RecordManifestStage(RecordManifestStage.Options.of(spec)));
  }
}
