package io.imagebuilder.manifest.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.internal.stages.OptionVariants;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every value the manifest stages read is part of their ids: each is built from its options record
 * (the spec it records among them), and changing any one component gives another id.
 */
class ManifestStageOptionsTest {
  @Test
  void everyOptionOfEveryManifestStageChangesItsId() {
    ImageSpec spec =
        ImageSpec.builder("bookworm").architecture(Architecture.AMD64).addPackage("curl").build();
    List<Stage> stages = new ManifestStageProvider().stages(spec);
    assertEquals(
        List.of("manifest.embed", "manifest.record"), stages.stream().map(Stage::type).toList());
    for (Stage stage : stages) {
      OptionVariants.Check check = OptionVariants.check(stage);
      assertEquals(
          List.of(), check.outsideTheId(), stage.type() + ": options that do not change its id");
      assertEquals(
          OptionVariants.allComponents(OptionVariants.optionsType(stage)),
          check.varied(),
          stage.type() + ": every option is changed");
    }
  }
}
