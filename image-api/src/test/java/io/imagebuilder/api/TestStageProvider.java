package io.imagebuilder.api;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageProvider;
import java.util.List;
import java.util.Map;

/**
 * Registered for image-api's own tests only (test resources): stands in for image-rootfs so
 * planning can be tested; its stages do nothing and are never run by these tests.
 */
public final class TestStageProvider implements StageProvider {
  record Described(
      String type, Phase phase, Map<String, Object> options, List<OutputFormat> produces)
      implements Stage {
    @Override
    public String summary() {
      return type;
    }

    @Override
    public void run(StageContext context) {
      throw new UnsupportedOperationException("planning-only test stage");
    }
  }

  @Override
  public List<Stage> stages(ImageSpec spec) {
    return List.of(
        new Described(
            "test.tarball",
            Phase.ASSEMBLE,
            Map.of("formats", spec.outputs()),
            List.copyOf(spec.outputs())),
        new Described(
            "test.bootstrap",
            Phase.BOOTSTRAP,
            Map.of("series", spec.series(), "arch", spec.architecture(), "mirror", spec.mirror()),
            List.of()),
        new Described(
            "test.packages", Phase.PACKAGES, Map.of("packages", spec.packages()), List.of()),
        new Described("test.finalise", Phase.FINALISE, Map.of(), List.of()));
  }
}
